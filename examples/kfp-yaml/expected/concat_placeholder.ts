import type { Expectation } from '../expectation';

/** ConcatPlaceholder([...]) is one argument: Kiln's concat of text, an input value and an output URI. */
export const expectation: Expectation = {
  feature: 'ConcatPlaceholder',
  translated: {
    pipeline: 'concat-placeholder',
    params: { name: 'string = "forest"', version: 'int = 2' },
    root: { label: { task: 'label', in: { name: '$name', version: '$version' } } },
    components: {
      label: {
        type: 'container',
        argv: [
          'sh',
          '-c',
          'mkdir -p "$(dirname "$1")" && echo "$0" | tee "$1"',
          '{concat:model-,{inputValue:name},-v,{inputValue:version},@,{outputUri:marker}}',
          '{outputPath:marker}',
        ],
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { label: 'succeeded' },
    logs: { label: 'model-forest-v2@' },
  },
};
