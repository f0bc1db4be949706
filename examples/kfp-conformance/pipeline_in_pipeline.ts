/**
 * Port of KFP `pipeline_in_pipeline.py`: a pipeline used as a component (one level).
 */
import { component, param, pipeline, python } from '@kiln/dsl';

export const printOp1 = python({
  name: 'print-op1',
  inputs: { msg: param.string() },
  outputs: { Output: param.string() },
  source: `
    def print_op1(msg):
        print(msg)
        return {"Output": msg}
  `,
});

export const printOp2 = component({
  name: 'print-op2',
  image: 'alpine:3.20',
  inputs: { msg: param.string() },
  command: ({ inputs }) => ['echo', inputs.msg],
});

export const innerPipeline = pipeline({ name: 'inner-pipeline', params: { msg: param.string() } }, (p) => {
  const t = printOp1({ msg: p.msg });
  printOp2({ msg: t.outputs.Output });
});

export const pipelineInPipeline = pipeline({ name: 'pipeline-in-pipeline' }, () => {
  printOp1({ msg: 'Hello' });
  innerPipeline({ msg: 'world' });
});
