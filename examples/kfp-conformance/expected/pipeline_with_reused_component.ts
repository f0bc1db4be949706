import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_reused_component',
  pipeline: 'add-pipeline',
  params: ['a', 'b'],
  root: {
    add: { task: 'add', in: { op_1: '$a', op2: '3' } },
    'add-2': { task: 'add', after: ['add'], in: { op_1: 'add.sum', op2: '$b' } },
    'add-3': { task: 'add', after: ['add-2'], in: { op_1: 'add-2.sum', op2: '7' } },
  },
  components: 1,
  runtime: {
    state: 'SUCCEEDED',
    tasks: { add: 'succeeded', 'add-2': 'succeeded', 'add-3': 'succeeded' },
    outputs: { 'add.sum': 5, 'add-2.sum': 10, 'add-3.sum': 17 },
  },
};
