/**
 * Port of KFP `parallelfor_fan_in/parameters_simple.py`: collected parameter fan-in to a python
 * and a container component; the pipeline output is the collected list.
 * Differences: KFP's add_container uses jq; the Kiln container sums the JSON list with /bin/sh only.
 */
import { collected, component, param, parallelFor, pipeline, type Task } from '@kiln/dsl';
import { addInts, double, MKDIR_OUT } from './components';

const addContainer = component({
  name: 'add-container',
  image: 'alpine:3.20',
  inputs: { nums: param.list() },
  outputs: { sum: param.int() },
  // "[2, 4, 6]" -> 12 with sh arithmetic only.
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    `${MKDIR_OUT}s=0; for n in $(printf '%s' "$0" | tr -d '[] ' | tr ',' ' '); do s=$((s + n)); done; echo "$s"; printf '%s' "$s" > "$1"`,
    inputs.nums,
    outputs.sum.path,
  ],
});

export const parametersSimple = pipeline({ name: 'math-pipeline' }, () => {
  let t!: Task<ReturnType<typeof double>['outputs']>;
  parallelFor([1, 2, 3], (x) => {
    t = double({ num: x });
  });
  addInts({ nums: collected(t.outputs.Output) });
  addContainer({ nums: collected(t.outputs.Output) });
  return { Output: collected(t.outputs.Output) };
});
