/**
 * Port of KFP `pipeline_with_loops.py`: parallelFor over a list parameter, over an upstream
 * output (a list of dicts) and over a literal list of dicts, with item field access.
 * Differences: none in structure. `loop_parameter` is required, as in KFP (its test config runs
 * it with ['a', 'b']).
 */
import { param, parallelFor, pipeline, python } from '@kiln/dsl';
import { printText } from './components';

const argsGeneratorOp = python({
  name: 'args-generator-op',
  outputs: { Output: param.list(param.object<{ A_a: string; B_b: string }>()) },
  source: `
    def args_generator_op():
        return {"Output": [{"A_a": "1", "B_b": "2"}, {"A_a": "10", "B_b": "20"}]}
  `,
});

const printStruct = python({
  name: 'print-struct',
  inputs: { struct: param.object() },
  source: `
    def print_struct(struct):
        print(struct)
  `,
});

export const pipelineWithLoops = pipeline(
  { name: 'pipeline-with-loops', params: { loop_parameter: param.list() } },
  (p) => {
    parallelFor(p.loop_parameter, (item) => {
      printText({ msg: item });
    });
    const gen = argsGeneratorOp();
    parallelFor(gen.outputs.Output, (item) => {
      printStruct({ struct: item });
      printText({ msg: item.A_a });
      printText({ msg: item.B_b });
    });
    parallelFor(
      [
        { A_a: '1', B_b: '2' },
        { A_a: '10', B_b: '20' },
      ],
      (item) => {
        printStruct({ struct: item });
        printText({ msg: item.A_a });
        printText({ msg: item.B_b });
      },
    );
  },
);
