import { collected, component, param, parallelFor, pipeline } from '../../src';

const cell = component({
  name: 'cell',
  image: 'alpine:3.20',
  inputs: { row: param.int(), col: param.string() },
  outputs: { value: param.float() },
  command: ({ inputs, outputs }) => ['cell', inputs.row, inputs.col, outputs.value.path],
});

const sum = component({
  name: 'sum',
  image: 'alpine:3.20',
  inputs: { values: param.list() },
  outputs: { total: param.float() },
  command: ({ inputs, outputs }) => ['sum', inputs.values, outputs.total.path],
});

export const nestedLoops = pipeline({ name: 'nested-loops', params: { cols: param.list({ default: ['x', 'y'] }) } }, (p) => {
  const rows = parallelFor([1, 2, 3], (row) => {
    let c!: ReturnType<typeof cell>;
    parallelFor(p.cols, (col) => {
      c = cell({ row, col });
    });
    const rowSum = sum({ values: collected(c.outputs.value) });
    return { total: rowSum.outputs.total };
  });
  sum({ values: rows.outputs.total });
});
