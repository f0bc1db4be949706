import type { Expectation } from '../expectation';

/** A compiled container component: its command with Kiln placeholders, no executor protocol. */
export const expectation: Expectation = {
  feature: 'a container component compiled to component YAML',
  kind: 'component',
  component: {
    name: 'download',
    inputs: { url: 'string' },
    outputs: { data: 'dataset artifact', size: 'int' },
    shape: {
      type: 'container',
      argv: [
        'sh',
        '-c',
        'curl -sSfo "$1" "$0" && wc -c < "$1" > "$2"',
        '{inputValue:url}',
        '{outputPath:data}',
        '{outputPath:size}',
      ],
    },
  },
  notRun: 'a component file, not a pipeline (and its download needs the network)',
};
