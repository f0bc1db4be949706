import type { Expectation } from '../expectation';

/**
 * A v1 component inside a v2 pipeline, as KFP's SDK converts it: names sanitized (Text → text),
 * a String output via outputPath is an output parameter, an Artifact output an artifact, and
 * `if: {cond: {isPresent}}` an ifPresent.
 */
export const expectation: Expectation = {
  feature: 'a v1 component.yaml loaded into a v2 pipeline',
  translated: {
    pipeline: 'v1-component-in-pipeline',
    params: { text: 'string = "loud"' },
    root: { 'upper-case': { task: 'upper-case', in: { text: '$text', suffix: '"!"' } } },
    outputs: { Output: 'upper-case.result' },
    components: {
      'upper-case': {
        type: 'container',
        argv: [
          'sh',
          '-c',
          'mkdir -p "$(dirname "$1")" "$(dirname "$2")"; echo "$0$3" | tr a-z A-Z > "$1"; echo done > "$2"',
          '{inputValue:text}',
          '{outputPath:result}',
          '{outputPath:log}',
          '{ifPresent:suffix?{inputValue:suffix}:}',
        ],
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'upper-case': 'succeeded' },
    // One trailing newline of an output file is dropped (what `echo` adds).
    outputs: { 'upper-case.result': 'LOUD!', 'pipeline.Output': 'LOUD!' },
    artifacts: { 'upper-case.log': { text: 'done\n' } },
  },
};
