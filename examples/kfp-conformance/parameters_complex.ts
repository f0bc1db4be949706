/**
 * Port of KFP `parallelfor_fan_in/parameters_complex.py`: fan-in at several loop depths, fan-in
 * used INSIDE another loop, two collected lists into one task.
 * Difference: the two-level fan-in of t2 (`nested_add(Collected(t2))`) goes through one extra
 * pass-through task per outer iteration (`collect-row`), because Kiln collects one loop level at a
 * time; see nested_with_parameters.ts.
 */
import { collected, param, parallelFor, pipeline, python, type Task } from '@kiln/dsl';
import { double } from './components';
import { collectRow } from './nested_with_parameters';

const simpleAdd = python({
  name: 'simple-add',
  inputs: { nums: param.list() },
  outputs: { Output: param.int() },
  source: `
    def simple_add(nums):
        return {"Output": sum(nums)}
  `,
});

const nestedAdd = python({
  name: 'nested-add',
  inputs: { nums: param.list() },
  outputs: { Output: param.int() },
  source: `
    def nested_add(nums):
        import itertools
        return {"Output": sum(itertools.chain(*nums))}
  `,
});

const addTwoNumbers = python({
  name: 'add-two-numbers',
  inputs: { x: param.list(), y: param.list() },
  outputs: { Output: param.int() },
  source: `
    def add_two_numbers(x, y):
        return {"Output": sum(x) + sum(y)}
  `,
});

export const parametersComplex = pipeline({ name: 'math-pipeline' }, () => {
  let t1!: Task<ReturnType<typeof double>['outputs']>;
  let row!: Task<ReturnType<typeof collectRow>['outputs']>;
  parallelFor([1, 2, 3], (a) => {
    t1 = double({ num: a });
    let t2!: Task<ReturnType<typeof double>['outputs']>;
    parallelFor([4, 5, 6], (b) => {
      t2 = double({ num: b });
    });
    simpleAdd({ nums: collected(t2.outputs.Output) });
    row = collectRow({ values: collected(t2.outputs.Output) });
  });
  nestedAdd({ nums: collected(row.outputs.Output) });
  let t3!: Task<ReturnType<typeof simpleAdd>['outputs']>;
  let t4!: Task<ReturnType<typeof nestedAdd>['outputs']>;
  parallelFor([0, 0, 0], () => {
    t3 = simpleAdd({ nums: collected(t1.outputs.Output) });
    t4 = nestedAdd({ nums: collected(row.outputs.Output) });
  });
  return { Output: addTwoNumbers({ x: collected(t3.outputs.Output), y: collected(t4.outputs.Output) }).outputs.Output };
});
