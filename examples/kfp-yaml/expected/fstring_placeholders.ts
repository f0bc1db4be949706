import type { Expectation } from '../expectation';

/** A placeholder inside an f-string argument is a concat of the text around it and the placeholder. */
export const expectation: Expectation = {
  feature: 'placeholders inside f-string arguments',
  translated: {
    pipeline: 'fstring-placeholders',
    params: { table: 'string = "iris"', rows: 'int = 10' },
    root: { export: { task: 'export', in: { table: '$table', rows: '$rows' } } },
    components: {
      export: {
        type: 'container',
        argv: [
          'sh',
          '-c',
          'echo "$0 $1"; mkdir -p "$(dirname "$2")"; echo "$0" > "$2"',
          '{concat:--table=,{inputValue:table}}',
          '{concat:--limit=,{inputValue:rows},rows}',
          '{outputPath:data}',
        ],
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { export: 'succeeded' },
    artifacts: { 'export.data': { text: '--table=iris\n' } },
    logs: { export: '--table=iris --limit=10rows' },
  },
};
