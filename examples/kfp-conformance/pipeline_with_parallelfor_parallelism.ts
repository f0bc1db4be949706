/**
 * Port of KFP `pipeline_with_parallelfor_parallelism.py`: loop parallelism (2, unlimited, 1),
 * nested loops with and without a limit, and loops over list outputs of five list makers.
 * Differences: KFP's `parallelism=0` means unlimited; Kiln leaves `parallelism` out (0 is
 * rejected). KFP's four makers differ only in their declared return type (List[Dict[str,int]],
 * List[Dict], List[dict], List) and the fifth is maker 1 saved to YAML and loaded back; in Kiln
 * all are `param.list()` outputs, so they are written as four components with distinct names and
 * the YAML one as `loadComponent` of maker 1's IR (which dedupes with maker 1: same content).
 */
import { type Component, loadComponent, param, parallelFor, pipeline, python } from '@kiln/dsl';
import { printText, typedItem } from './components';

const printInt = python({
  name: 'print-int',
  inputs: { x: param.int() },
  source: `
    def print_int(x):
        print(x)
  `,
});

const listDictMaker = (n: number) =>
  python({
    name: `list-dict-maker-${n}`,
    outputs: { Output: param.list() },
    source: `
      def list_dict_maker_${n}():
          return {"Output": [{"a": 1, "b": 2}, {"a": 2, "b": 3}, {"a": 3, "b": 4}]}
    `,
  });

const makers: Component[] = [listDictMaker(0), listDictMaker(1), listDictMaker(2), listDictMaker(3)];

/** Maker 1 as a component file (IR JSON), loaded back like KFP's YAML round trip. */
const maker1FromFile = loadComponent({
  name: 'list-dict-maker-1',
  inputs: {},
  outputs: { Output: { kind: 'param', type: 'list' } },
  implementation: {
    type: 'python',
    image: 'python:3.11-slim',
    packages: [],
    entrypoint: 'list_dict_maker_1',
    source: 'def list_dict_maker_1():\n    return {"Output": [{"a": 1, "b": 2}, {"a": 2, "b": 3}, {"a": 3, "b": 4}]}\n',
  },
});

export const pipelineWithParallelforParallelism = pipeline(
  { name: 'pipeline-with-loops', params: { loop_parameter: param.list() } },
  (p) => {
    parallelFor(
      p.loop_parameter,
      (item) => {
        printText({ msg: item });
        parallelFor(p.loop_parameter, (nested) => {
          printText({ msg: nested });
        });
      },
      { parallelism: 2 },
    );
    const abItems = [
      { A_a: '1', B_b: '2' },
      { A_a: '10', B_b: '20' },
    ];
    parallelFor(abItems, (item) => {
      printText({ msg: item.A_a });
      printText({ msg: item.B_b });
      parallelFor(
        abItems,
        (nested) => {
          printText({ msg: nested.A_a });
          printText({ msg: nested.B_b });
        },
        { parallelism: 1 },
      );
    });
    parallelFor(
      [
        { a: 1, b: 10 },
        { a: 2, b: 20 },
      ],
      (item) => {
        printInt({ x: item.a });
      },
      { parallelism: 1 },
    );
    for (const maker of makers) {
      const t = maker({}) as ReturnType<ReturnType<typeof listDictMaker>>;
      parallelFor(t.outputs.Output, (item) => {
        printInt({ x: typedItem<{ a: number; b: number }>(item).a });
      });
    }
    const t5 = maker1FromFile({});
    parallelFor(t5.output('Output'), (item) => {
      printInt({ x: typedItem<{ a: number; b: number }>(item).a });
    });
  },
);
