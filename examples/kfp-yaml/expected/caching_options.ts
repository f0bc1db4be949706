import type { Expectation } from '../expectation';

/** Caching is on by default in both; off stays off; a cache key is Kiln's caching key. */
export const expectation: Expectation = {
  feature: 'task.set_caching_options (on, off, cache key)',
  translated: {
    pipeline: 'caching-options',
    params: {},
    root: {
      compute: { task: 'compute', in: { x: '1' }, settings: {} },
      'compute-2': { task: 'compute', in: { x: '2' }, settings: { caching: { enabled: false } } },
      'compute-3': { task: 'compute', in: { x: '3' }, settings: { caching: { enabled: true, key: 'v2' } } },
    },
    componentCount: 1,
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { compute: 'succeeded', 'compute-2': 'succeeded', 'compute-3': 'succeeded' },
    outputs: { 'compute.Output': 2, 'compute-2.Output': 3, 'compute-3.Output': 4 },
    note: 'run without the step cache, as every corpus run; caching itself is covered by the engine tests',
  },
};
