import { collected, component, param, parallelFor, pipeline, type Task, when } from '../../src';

const double = component({
  name: 'double',
  image: 'alpine:3.20',
  inputs: { num: param.int() },
  outputs: { out: param.int() },
  command: ({ inputs, outputs }) => ['double', inputs.num, outputs.out.path],
});

const sum = component({
  name: 'sum',
  image: 'alpine:3.20',
  inputs: { values: param.list() },
  outputs: { total: param.int() },
  command: ({ inputs, outputs }) => ['sum', inputs.values, outputs.total.path],
});

/** Fan-in of a producer inside a condition (skipped iterations left out), and across two loop levels. */
export const collectedNested = pipeline({ name: 'collected-nested', params: { threshold: param.int({ default: 2 }) } }, (p) => {
  let d!: Task<ReturnType<typeof double>['outputs']>;
  parallelFor([1, 2, 3], (x) => {
    when(x.ge(p.threshold), () => {
      d = double({ num: x });
    });
  });
  when(p.threshold.eq(2), () => {
    sum({ values: collected(d.outputs.out) });
  });

  let inner!: Task<ReturnType<typeof double>['outputs']>;
  parallelFor([[1, 2], [3]], (row) => {
    parallelFor(row, (n) => {
      inner = double({ num: n });
    });
  });
  sum({ values: collected(inner.outputs.out) });
});
