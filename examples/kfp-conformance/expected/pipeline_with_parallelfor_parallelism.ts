import type { Expected, ShapeDag } from '../structure';

const makerLoop = (maker: string, component: string, loop: string, printer: string): ShapeDag => ({
  [maker]: { task: component },
  [loop]: {
    loop: `${maker}.Output`,
    after: [maker],
    body: { [printer]: { task: 'print-int', in: { x: `item(${loop}).a` } } },
  },
});

export const expected: Expected = {
  kfp: 'pipeline_with_parallelfor_parallelism',
  pipeline: 'pipeline-with-loops',
  params: ['loop_parameter'],
  root: {
    'for-loop-1': {
      loop: '$loop_parameter',
      parallelism: 2,
      body: {
        'print-text': { task: 'print-text', in: { msg: 'item(for-loop-1)' } },
        'for-loop-2': {
          loop: '$loop_parameter',
          body: { 'print-text-2': { task: 'print-text', in: { msg: 'item(for-loop-2)' } } },
        },
      },
    },
    'for-loop-3': {
      // KFP parallelism=0: unlimited, no iteratorPolicy.
      loop: '[{"A_a":"1","B_b":"2"},{"A_a":"10","B_b":"20"}]',
      body: {
        'print-text-3': { task: 'print-text', in: { msg: 'item(for-loop-3).A_a' } },
        'print-text-4': { task: 'print-text', in: { msg: 'item(for-loop-3).B_b' } },
        'for-loop-4': {
          loop: '[{"A_a":"1","B_b":"2"},{"A_a":"10","B_b":"20"}]',
          parallelism: 1,
          body: {
            'print-text-5': { task: 'print-text', in: { msg: 'item(for-loop-4).A_a' } },
            'print-text-6': { task: 'print-text', in: { msg: 'item(for-loop-4).B_b' } },
          },
        },
      },
    },
    'for-loop-5': {
      loop: '[{"a":1,"b":10},{"a":2,"b":20}]',
      parallelism: 1,
      body: { 'print-int': { task: 'print-int', in: { x: 'item(for-loop-5).a' } } },
    },
    ...makerLoop('list-dict-maker-0', 'list-dict-maker-0', 'for-loop-6', 'print-int-2'),
    ...makerLoop('list-dict-maker-1', 'list-dict-maker-1', 'for-loop-7', 'print-int-3'),
    ...makerLoop('list-dict-maker-2', 'list-dict-maker-2', 'for-loop-8', 'print-int-4'),
    ...makerLoop('list-dict-maker-3', 'list-dict-maker-3', 'for-loop-9', 'print-int-5'),
    // The maker loaded from a file: same content as list-dict-maker-1, so the same component.
    ...makerLoop('list-dict-maker-1-2', 'list-dict-maker-1', 'for-loop-10', 'print-int-6'),
  },
  runtime: {
    params: { loop_parameter: ['a', 'b', 'c'] },
    state: 'SUCCEEDED',
    tasks: {
      'print-text': { succeeded: 3 },
      'print-text-2': { succeeded: 9 },
      'print-text-3': { succeeded: 2 },
      'print-text-4': { succeeded: 2 },
      'print-text-5': { succeeded: 4 },
      'print-text-6': { succeeded: 4 },
      'print-int': { succeeded: 2 },
      'print-int-2': { succeeded: 3 },
      'print-int-3': { succeeded: 3 },
      'print-int-4': { succeeded: 3 },
      'print-int-5': { succeeded: 3 },
      'print-int-6': { succeeded: 3 },
    },
    note: 'At most 2 iterations of for-loop-1 at once; for-loop-4 and for-loop-5 one at a time.',
  },
};
