import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'cross_loop_after_topology',
  pipeline: 'my-pipeline',
  params: [],
  root: {
    'for-loop-1': {
      kfp: 'for-loop-2',
      loop: '[1,2]',
      body: { 'print-op': { task: 'print-op', in: { message: '"one"' } } },
    },
    'for-loop-2': {
      kfp: 'for-loop-4',
      loop: '[1,2]',
      after: ['for-loop-1'],
      body: { 'print-op-2': { task: 'print-op', in: { message: '"two"' } } },
    },
    'for-loop-3': {
      kfp: 'for-loop-6',
      loop: '[1,2]',
      body: {
        'print-op-3': { task: 'print-op', in: { message: '"three"' } },
        'for-loop-4': {
          kfp: 'for-loop-8',
          loop: '[1,2]',
          after: ['print-op-3'],
          body: { 'print-op-4': { task: 'print-op', in: { message: '"four"' } } },
        },
      },
    },
    'for-loop-5': {
      kfp: 'for-loop-10',
      loop: '[1,2]',
      body: { 'print-op-5': { task: 'print-op', in: { message: '"five"' } } },
    },
    'print-op-6': { task: 'print-op', after: ['for-loop-5'], in: { message: '"six"' } },
    'for-loop-6': {
      kfp: 'for-loop-12',
      loop: '[1,2]',
      body: {
        'for-loop-7': {
          kfp: 'for-loop-14',
          loop: '[1,2]',
          body: { 'print-op-7': { task: 'print-op', in: { message: '"seven"' } } },
        },
        'print-op-8': { task: 'print-op', after: ['for-loop-7'], in: { message: '"eight"' } },
      },
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'print-op': { succeeded: 2 },
      'print-op-2': { succeeded: 2 },
      'print-op-3': { succeeded: 2 },
      'print-op-4': { succeeded: 4 },
      'print-op-5': { succeeded: 2 },
      'print-op-6': 'succeeded',
      'print-op-7': { succeeded: 4 },
      'print-op-8': { succeeded: 2 },
    },
    note: "'two' starts after every 'one'; 'six' after every 'five'; each 'eight' after its iteration's 'seven's.",
  },
};
