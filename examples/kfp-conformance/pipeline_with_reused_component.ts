/**
 * Port of KFP `pipeline_with_reused_component.py`: one component used three times in a chain.
 * Difference: KFP copies the component per task (comp-add, comp-add-2, comp-add-3); Kiln stores it
 * once (components are deduplicated by content) and three tasks reference it.
 */
import { component, param, pipeline } from '@kiln/dsl';
import { MKDIR_OUT } from './components';

const add = component({
  name: 'add',
  image: 'alpine:3.20',
  inputs: { op_1: param.int(), op2: param.int() },
  outputs: { sum: param.int() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    `${MKDIR_OUT}echo $(($0 + $2)); printf '%s' $(($0 + $2)) > "$1"`,
    inputs.op_1,
    outputs.sum.path,
    inputs.op2,
  ],
});

export const pipelineWithReusedComponent = pipeline(
  { name: 'add-pipeline', params: { a: param.int({ default: 2 }), b: param.int({ default: 5 }) } },
  (p) => {
    const s1 = add({ op_1: p.a, op2: 3 });
    const s2 = add({ op_1: s1.outputs.sum, op2: p.b });
    add({ op_1: s2.outputs.sum, op2: 7 });
  },
);
