import type { Expectation } from '../expectation';

/** One task bound to the pipeline parameter; its return value is the pipeline's output. */
export const expectation: Expectation = {
  feature: 'lightweight Python component, pipeline output',
  translated: {
    pipeline: 'hello-python',
    params: { name: 'string = "Kiln"' },
    root: { greet: { task: 'greet', in: { name: '$name' } } },
    outputs: { Output: 'greet.Output' },
    components: {
      greet: {
        type: 'container',
        argv: [
          'sh',
          '-c',
          "…python3 -m pip install --quiet --no-warn-script-location 'kfp==2.17.3'",
          'sh',
          '-ec',
          '…python3 -m kfp.dsl.executor_main',
          '…def greet(name: str) -> str:',
          '--executor_input',
          '{executorInput}',
          '--function_to_execute',
          'greet',
        ],
        kfpPackages: ['kfp==2.17.3', 'typing-extensions>=3.7.4,<5; python_version<"3.9"'],
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { greet: 'succeeded' },
    outputs: { 'greet.Output': 'Hello, Kiln!', 'pipeline.Output': 'Hello, Kiln!' },
    executors: ['local', 'kubernetes'],
  },
};
