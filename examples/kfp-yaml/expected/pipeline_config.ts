import type { Expectation } from '../expectation';

/** PipelineConfig's run deadline and pod TTL are Kiln's pipeline timeout and pod TTL. */
export const expectation: Expectation = {
  feature: 'dsl.PipelineConfig deadline and TTL',
  kind: 'pipeline+platform',
  translated: {
    pipeline: 'pipeline-config',
    params: {},
    settings: { timeoutSeconds: 3600, podTtlSeconds: 600 },
    root: { step: { task: 'step', in: {} } },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { step: 'succeeded' },
  },
};
