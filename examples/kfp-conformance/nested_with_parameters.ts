/**
 * Port of KFP `parallelfor_fan_in/nested_with_parameters.py`: fan-in out of two nested loops into a
 * nested list (List[List[int]]), summed by `add` and returned.
 * Difference: Kiln's `collected()` goes out one loop level at a time, so the inner loop's list is
 * handed to one extra pass-through task per outer iteration (`collect-row`, the "role" KFP gives
 * the inner loop group's LIST output), whose output is then collected by the outer loop. The
 * result is the same nested list, in item order.
 */
import { collected, param, parallelFor, pipeline, python, type Task } from '@kiln/dsl';
import { double } from './components';

const addNested = python({
  name: 'add',
  inputs: { nums: param.list() },
  outputs: { Output: param.int() },
  source: `
    def add(nums):
        import itertools
        return {"Output": sum(itertools.chain(*nums))}
  `,
});

const addTwoNums = python({
  name: 'add-two-nums',
  inputs: { x: param.int(), y: param.int() },
  outputs: { Output: param.int() },
  source: `
    def add_two_nums(x, y):
        return {"Output": x + y}
  `,
});

/** Pass-through of one outer iteration's collected list. */
export const collectRow = python({
  name: 'collect-row',
  inputs: { values: param.list() },
  outputs: { Output: param.list() },
  source: `
    def collect_row(values):
        return {"Output": values}
  `,
});

export const nestedWithParameters = pipeline({ name: 'math-pipeline' }, () => {
  const outer = parallelFor([1, 2, 3], (x) => {
    let t3!: Task<ReturnType<typeof addTwoNums>['outputs']>;
    parallelFor([1, 2, 3], (y) => {
      const t1 = double({ num: x });
      const t2 = double({ num: y });
      t3 = addTwoNums({ x: t1.outputs.Output, y: t2.outputs.Output });
    });
    return { Output: collectRow({ values: collected(t3.outputs.Output) }).outputs.Output };
  });
  addNested({ nums: outer.outputs.Output });
  return { Output: outer.outputs.Output };
});
