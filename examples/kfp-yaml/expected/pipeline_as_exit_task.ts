import type { Expectation } from '../expectation';

/** The exit task may be a sub-pipeline: a dag component taking the final status as an input. */
export const expectation: Expectation = {
  feature: 'a pipeline as the exit task',
  translated: {
    pipeline: 'pipeline-as-exit-task',
    params: {},
    root: {
      'exit-handler-1': {
        exitHandler: { work: { task: 'work', in: {} } },
        exit: { teardown: { task: 'teardown', in: { status: 'finalStatus' } } },
      },
    },
    components: {
      teardown: {
        type: 'dag',
        dag: {
          'log-status': { task: 'log-status', in: { status: '$status' } },
          'condition-1': {
            after: ['log-status'],
            if: [
              {
                when: 'log-status.Output == "FAILED"',
                then: { archive: { task: 'archive', in: { state: 'log-status.Output' } } },
              },
            ],
          },
        },
        outputs: {},
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: {
      work: 'succeeded',
      teardown: 'succeeded',
      'teardown/log-status': 'succeeded',
      'teardown/archive': 'skipped',
    },
    outputs: { 'teardown/log-status.Output': 'SUCCEEDED' },
  },
};
