import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_after',
  pipeline: 'pipeline-with-after',
  params: [],
  root: {
    'print-text': { task: 'print-text', in: { text: '"1st task"' } },
    'print-text-2': { task: 'print-text', after: ['print-text'], in: { text: '"2nd task"' } },
    'print-text-3': { task: 'print-text', after: ['print-text', 'print-text-2'], in: { text: '"3rd task"' } },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: { 'print-text': 'succeeded', 'print-text-2': 'succeeded', 'print-text-3': 'succeeded' },
    note: 'Run in order 1st, 2nd, 3rd.',
  },
};
