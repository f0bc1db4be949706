/**
 * Port of KFP `pipeline_with_loops_and_conditions.py`: loops and conditions mixed many levels deep:
 * loops over an upstream output, a field of the item, a list parameter and literals; conditions on
 * loop items and on outer task outputs.
 * Differences: flip-coin-op is deterministic ('heads' by default). Group ids are numbered per kind
 * in creation order (KFP: one counter for all groups).
 */
import { param, parallelFor, pipeline, python, when } from '@kiln/dsl';
import { flipCoinOp, typedItem } from './components';

const argsGeneratorOp = python({
  name: 'args-generator-op',
  outputs: { Output: param.list(param.object<{ A_a: string; B_b: unknown }>()) },
  source: `
    def args_generator_op():
        return {"Output": [{"A_a": "1", "B_b": ["2", "20"]}, {"A_a": "10", "B_b": ["22", "222"]}]}
  `,
});

const printText = python({
  name: 'print-text',
  inputs: { msg: param.string(), msg2: param.string({ optional: true }) },
  source: `
    def print_text(msg, msg2=None):
        print(f"msg: {msg}, msg2: {msg2}")
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

const loopDefault = [
  { A_a: 'heads', B_b: ['A', 'B'] },
  { A_a: 'tails', B_b: ['X', 'Y', 'Z'] },
];

export const pipelineWithLoopsAndConditions = pipeline(
  {
    name: 'pipeline-with-loops-and-conditions-multi-layers',
    params: { msg: param.string({ default: 'hello' }), loop_parameter: param.list({ default: loopDefault }) },
  },
  (p) => {
    const flip = flipCoinOp();
    const outerGen = argsGeneratorOp();
    when(flip.outputs.Output.ne('no-such-result'), () => {
      const innerGen = argsGeneratorOp();
      parallelFor(outerGen.outputs.Output, (item) => {
        printText({ msg: p.msg });
        when(item.A_a.eq('heads'), () => {
          printText({ msg: item.B_b });
        });
        when(flip.outputs.Output.eq('heads'), () => {
          printText({ msg: item.B_b });
        });
        when(item.A_a.eq('tails'), () => {
          parallelFor([{ a: '-1' }, { a: '-2' }], (inner) => {
            printStruct({ struct: inner });
          });
        });
        parallelFor(item.B_b, (b) => {
          printText({ msg: b });
        });
        parallelFor(p.loop_parameter, (it2) => {
          // KFP passes the whole dict item to a str input; Kiln's types need it said.
          const pi = typedItem<string>(it2);
          printText({ msg: pi });
          parallelFor(innerGen.outputs.Output, (q) => {
            printText({ msg: pi, msg2: q.A_a });
          });
        });
        parallelFor(['1', '2'], (s) => {
          printText({ msg: s });
          when(s.eq('1'), () => {
            printText({ msg: '1' });
          });
        });
      });
    });
    parallelFor(p.loop_parameter, (item) => {
      when(item.A_a.eq('heads'), () => {
        parallelFor(item.B_b, (b) => {
          printText({ msg: b });
        });
      });
    });
  },
);
