import type { Expectation } from '../expectation';

/**
 * A container component keeps its image and command; `{{$.inputs.parameters['text']}}` is an
 * input value and an OutputPath(str) parameter is a file the program writes
 * (`{{$.outputs.parameters['loud'].output_file}}`), read back as the output's value. No executor
 * protocol: the container has no `kfp` block.
 */
export const expectation: Expectation = {
  feature: 'container component, OutputPath parameter',
  translated: {
    pipeline: 'container-component',
    params: { text: 'string = "quiet please"' },
    root: {
      shout: { task: 'shout', in: { text: '$text' } },
      show: { task: 'show', after: ['shout'], in: { text: 'shout.loud' } },
    },
    components: {
      shout: {
        type: 'container',
        argv: [
          'sh',
          '-c',
          'mkdir -p "$(dirname "$1")" && echo "$0" | tr a-z A-Z > "$1"',
          '{inputValue:text}',
          '{outputPath:loud}',
        ],
      },
      show: { type: 'container', argv: ['echo', '{inputValue:text}'] },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { shout: 'succeeded', show: 'succeeded' },
    outputs: { 'shout.loud': 'QUIET PLEASE' },
    executors: ['local', 'kubernetes'],
  },
};
