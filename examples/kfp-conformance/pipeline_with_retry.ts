/**
 * Port of KFP `pipeline_with_retry.py`: `add(a, b).set_retry(num_retries=3)`.
 * Differences: Kiln counts ATTEMPTS, KFP counts RETRIES: 3 retries = `maxAttempts: 4`. KFP's
 * defaults are backoff 0s, factor 2, max 3600s; the port states them explicitly (Kiln's own
 * default backoff is 10s).
 */
import { param, pipeline, python } from '@kiln/dsl';

const add = python({
  name: 'add',
  inputs: { a: param.float(), b: param.float() },
  outputs: { Output: param.float() },
  source: `
    def add(a, b):
        return {"Output": a + b}
  `,
});

export const pipelineWithRetry = pipeline(
  { name: 'test-pipeline', params: { a: param.float({ default: 1 }), b: param.float({ default: 7 }) } },
  (p) => {
    add({ a: p.a, b: p.b }).retry({ maxAttempts: 4, backoff: '0s', factor: 2, maxBackoff: '1h' });
  },
);
