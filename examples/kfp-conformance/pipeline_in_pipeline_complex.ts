/**
 * Port of KFP `pipeline_in_pipeline_complex.py`: a sub-pipeline with two conditions, called inside
 * a loop over a literal list.
 */
import { component, param, parallelFor, pipeline, when } from '@kiln/dsl';
import { printOp1, printOp2 } from './pipeline_in_pipeline';

/** KFP: loaded from YAML (alpine echo). */
const printOp3 = component({
  name: 'print-op3',
  image: 'alpine:3.20',
  inputs: { msg: param.string() },
  command: ({ inputs }) => ['echo', inputs.msg],
});

const innerPipeline = pipeline({ name: 'inner-pipeline', params: { msg: param.string() } }, (p) => {
  const t = printOp1({ msg: p.msg });
  when(t.outputs.Output.eq('Hello'), () => {
    printOp2({ msg: 'world' });
  });
  when(t.outputs.Output.ne('Hello'), () => {
    printOp3({ msg: 'Bye!' });
  });
});

export const pipelineInPipelineComplex = pipeline(
  { name: 'pipeline-in-pipeline-complex', params: { msg: param.string({ default: 'Hello' }) } },
  (p) => {
    printOp1({ msg: p.msg });
    parallelFor(['Hello', 'world!'], (item) => {
      innerPipeline({ msg: item });
    });
  },
);
