import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_nested_loops',
  pipeline: 'pipeline-with-nested-loops',
  params: ['loop_parameter'],
  root: {
    'for-loop-1': {
      loop: '$loop_parameter',
      body: {
        'for-loop-2': {
          loop: 'item(for-loop-1).p_a',
          body: { 'print-op': { task: 'print-op', in: { msg: 'item(for-loop-2).q_a' } } },
        },
      },
    },
    'for-loop-3': {
      kfp: 'for-loop-4',
      loop: '["1","2"]',
      body: {
        'print-op-2': { task: 'print-op', in: { msg: 'item(for-loop-3)' } },
        'for-loop-4': {
          kfp: 'for-loop-6',
          loop: '["100","200","300"]',
          body: { 'print-op-3': { task: 'print-op', in: { msg: 'item(for-loop-3)', msg2: 'item(for-loop-4)' } } },
        },
      },
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: { 'print-op': { succeeded: 4 }, 'print-op-2': { succeeded: 2 }, 'print-op-3': { succeeded: 6 } },
  },
};
