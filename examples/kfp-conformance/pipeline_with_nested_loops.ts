/**
 * Port of KFP `pipeline_with_nested_loops.py`: an inner loop over a field of the outer item (a
 * list of objects, itself from a list parameter), and nested literal loops where the inner task
 * reads the outer item.
 */
import { param, parallelFor, pipeline, python } from '@kiln/dsl';

const printOp = python({
  name: 'print-op',
  inputs: { msg: param.string(), msg2: param.string({ optional: true }) },
  source: `
    def print_op(msg, msg2=None):
        print(f"msg: {msg}, msg2: {msg2}")
  `,
});

const defaultLoop = [
  { p_a: [{ q_a: '1' }, { q_a: '2' }], p_b: 'hello' },
  { p_a: [{ q_a: '11' }, { q_a: '22' }], p_b: 'halo' },
];

export const pipelineWithNestedLoops = pipeline(
  { name: 'pipeline-with-nested-loops', params: { loop_parameter: param.list({ default: defaultLoop }) } },
  (p) => {
    parallelFor(p.loop_parameter, (item) => {
      parallelFor(item.p_a, (x) => {
        printOp({ msg: x.q_a });
      });
    });
    parallelFor(['1', '2'], (outer) => {
      printOp({ msg: outer });
      parallelFor(['100', '200', '300'], (inner) => {
        printOp({ msg: outer, msg2: inner });
      });
    });
  },
);
