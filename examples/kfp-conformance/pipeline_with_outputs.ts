/**
 * Port of KFP `pipeline_with_outputs.py`: a sub-pipeline with a parameter and an artifact output;
 * the pipeline's output is the sub-pipeline's artifact.
 */
import { artifact, component, param, pipeline } from '@kiln/dsl';
import { printOp1 } from './pipeline_in_pipeline';

const printOp2 = component({
  name: 'print-op2',
  image: 'alpine:3.20',
  inputs: { msg: param.string() },
  outputs: { data: artifact.artifact() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'mkdir -p "$(dirname "$1")" && echo "$0" && echo "$0" > "$1"',
    inputs.msg,
    outputs.data.path,
  ],
});

const innerPipeline = pipeline({ name: 'inner-pipeline', params: { msg: param.string() } }, (p) => {
  const t1 = printOp1({ msg: p.msg });
  const t2 = printOp2({ msg: t1.outputs.Output });
  return { msg: t1.outputs.Output, data: t2.outputs.data };
});

export const pipelineWithOutputs = pipeline(
  { name: 'pipeline-in-pipeline', params: { msg: param.string({ default: 'Hello' }) } },
  (p) => {
    printOp1({ msg: p.msg });
    const t2 = innerPipeline({ msg: 'world' });
    return { Output: t2.outputs.data };
  },
);
