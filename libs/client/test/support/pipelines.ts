/** Small DSL pipelines the local executor runs with nothing but `sh`. */
import { artifact, component, param, pipeline } from '@kiln/dsl';

const greet = component({
  name: 'greet',
  image: 'busybox',
  inputs: { who: param.string(), sleepSeconds: param.float() },
  outputs: { report: artifact.markdown() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'echo "hello $0"; printf "# hello %s\\n" "$0" > "$1"; sleep "$2"',
    inputs.who,
    outputs.report.path,
    inputs.sleepSeconds,
  ],
});

const shout = component({
  name: 'shout',
  image: 'busybox',
  inputs: { report: artifact.markdown() },
  command: ({ inputs }) => ['sh', '-c', 'tr a-z A-Z < "$0"', inputs.report.path],
});

/** `greet` (sleeps `sleepSeconds`) then `shout`. `who` is required. */
export const hello = pipeline(
  {
    name: 'client-hello',
    params: { who: param.string(), sleepSeconds: param.float({ default: 0 }) },
  },
  (p) => {
    const g = greet({ who: p.who, sleepSeconds: p.sleepSeconds });
    shout({ report: g.outputs.report });
  },
);

const check = component({
  name: 'check',
  image: 'busybox',
  inputs: { marker: param.string() },
  command: ({ inputs }) => [
    'sh',
    '-c',
    'if [ -e "$0" ]; then echo checked; else touch "$0"; echo "first try fails" >&2; exit 3; fi',
    inputs.marker,
  ],
});

/** Fails the first time it sees a fresh `marker` path (creating it), succeeds after: what a retry needs. */
export const flaky = pipeline({ name: 'client-flaky', params: { marker: param.string() } }, (p) => {
  check({ marker: p.marker });
});

const pack = component({
  name: 'pack',
  image: 'busybox',
  inputs: { label: param.string() },
  outputs: { model: artifact.model() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'mkdir -p "$1/weights" && printf "%s\\n" "$0" > "$1/config.txt" && printf "w1" > "$1/weights/a.bin" && printf "w2" > "$1/weights/b.bin"',
    inputs.label,
    outputs.model.path,
  ],
});

/** One task whose `model` output is a directory: `config.txt` (holding `label`), `weights/a.bin`, `weights/b.bin`. */
export const bundle = pipeline({ name: 'client-bundle', params: { label: param.string() } }, (p) => {
  pack({ label: p.label });
});
