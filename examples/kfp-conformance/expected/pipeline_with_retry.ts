import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_retry',
  pipeline: 'test-pipeline',
  params: ['a', 'b'],
  root: {
    add: {
      task: 'add',
      in: { a: '$a', b: '$b' },
      // KFP: maxRetryCount 3, backoffDuration 0s, backoffFactor 2, backoffMaxDuration 3600s.
      settings: {
        retry: {
          maxAttempts: 4,
          initialBackoffSeconds: 0,
          backoffFactor: 2,
          maxBackoffSeconds: 3600,
          retryOn: ['infrastructure', 'user'],
        },
      },
    },
  },
  runtime: { state: 'SUCCEEDED', tasks: { add: 'succeeded' }, outputs: { 'add.Output': 8 } },
};
