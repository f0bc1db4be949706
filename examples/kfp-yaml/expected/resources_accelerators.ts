import type { Expectation } from '../expectation';

/**
 * Resource requests/limits are task settings (KFP writes them on the per-task executor); an
 * accelerator type + limit is a `gpu` count of that extended resource, never a node selector.
 */
export const expectation: Expectation = {
  feature: 'cpu/memory requests and limits, accelerator nvidia.com/gpu',
  translated: {
    pipeline: 'resources-accelerators',
    params: {},
    root: {
      train: {
        task: 'train',
        in: { epochs: '1' },
        settings: { resources: { cpu: { request: '500m', limit: '2' }, memory: { request: '1Gi', limit: '4Gi' } } },
      },
      'train-2': {
        task: 'train',
        in: { epochs: '2' },
        settings: { resources: { gpu: { count: 2, resource: 'nvidia.com/gpu' } } },
      },
    },
    componentCount: 1,
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { train: 'succeeded', 'train-2': 'succeeded' },
    outputs: { 'train.Output': 1, 'train-2.Output': 2 },
    note: 'local executor only: the test cluster has no GPUs, so a pod asking for nvidia.com/gpu is never scheduled',
  },
};
