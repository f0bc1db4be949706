import type { Expectation } from '../expectation';

const retryOn: ('user' | 'infrastructure')[] = ['user', 'infrastructure'];

/**
 * KFP retries any failure max_retry_count times (Kiln counts attempts: retries + 1). The SDK's
 * defaults are a 0s backoff, factor 2 and a 3600s maximum.
 */
export const expectation: Expectation = {
  feature: 'task.set_retry',
  translated: {
    pipeline: 'retry-policies',
    params: {},
    root: {
      unstable: {
        task: 'unstable',
        in: { attempts_needed: '1' },
        settings: {
          retry: { maxAttempts: 4, initialBackoffSeconds: 0, backoffFactor: 2, maxBackoffSeconds: 3600, retryOn },
        },
      },
      'unstable-2': {
        task: 'unstable',
        in: { attempts_needed: '2' },
        settings: {
          retry: { maxAttempts: 3, initialBackoffSeconds: 5, backoffFactor: 3, maxBackoffSeconds: 60, retryOn },
        },
      },
      'unstable-3': { task: 'unstable', in: { attempts_needed: '0' }, settings: {} },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { unstable: 'succeeded', 'unstable-2': 'succeeded', 'unstable-3': 'succeeded' },
    outputs: { 'unstable.Output': 'needs 1', 'unstable-2.Output': 'needs 2', 'unstable-3.Output': 'needs 0' },
  },
};
