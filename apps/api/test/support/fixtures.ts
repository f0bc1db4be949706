/**
 * Pipelines for the API tests, written as IR. Steps are small shell commands
 * run by the local executor (`sh` is all they need).
 */
import type { PipelineSpec } from '@kiln/ir';

/**
 * `greet` writes a report artifact and logs a line; `check` fails with exit 3
 * the first time it sees a fresh `marker` path (creating it) and succeeds after,
 * which is what a retry needs.
 */
export function helloSpec(name = 'hello'): PipelineSpec {
  return {
    schemaVersion: '1.0',
    pipeline: { name, description: 'API test pipeline' },
    params: {
      who: { kind: 'param', type: 'string', default: 'world' },
      sleepSeconds: { kind: 'param', type: 'float', default: 0 },
      mode: { kind: 'param', type: 'string', enum: ['fast', 'slow'], default: 'fast' },
      marker: { kind: 'param', type: 'string', default: '' },
    },
    settings: {},
    components: {
      greet: {
        name: 'greet',
        inputs: { who: { kind: 'param', type: 'string' }, sleepSeconds: { kind: 'param', type: 'float' } },
        outputs: { report: { kind: 'artifact', type: 'markdown' } },
        implementation: {
          type: 'container',
          image: 'busybox',
          command: [
            'sh',
            '-c',
            'echo "hello $0"; printf "# hello %s\\n" "$0" > "$1"; sleep "$2"',
            { kind: 'inputValue', input: 'who' },
            { kind: 'outputPath', output: 'report' },
            { kind: 'inputValue', input: 'sleepSeconds' },
          ],
        },
      },
      check: {
        name: 'check',
        inputs: { marker: { kind: 'param', type: 'string' } },
        outputs: {},
        implementation: {
          type: 'container',
          image: 'busybox',
          command: [
            'sh',
            '-c',
            'if [ -z "$0" ] || [ -e "$0" ]; then echo checked; else touch "$0"; echo "first try fails" >&2; exit 3; fi',
            { kind: 'inputValue', input: 'marker' },
          ],
        },
      },
    },
    root: {
      tasks: {
        greet: {
          type: 'task',
          component: 'greet',
          dependsOn: [],
          settings: {},
          inputs: { who: { kind: 'param', name: 'who' }, sleepSeconds: { kind: 'param', name: 'sleepSeconds' } },
        },
        check: {
          type: 'task',
          component: 'check',
          dependsOn: ['greet'],
          settings: {},
          inputs: { marker: { kind: 'param', name: 'marker' } },
        },
      },
    },
    outputs: {},
  };
}
