/** What every S3 helper needs: the bucket, its client, and the store's transfer settings. */
import { fromS3Error } from './errors';
import type { Bucket } from './requests';
import { withRetry, type RetryPolicy } from './retry';

export interface S3Context extends Bucket {
  partSize: number;
  concurrency: number;
  retry: RetryPolicy;
}

/**
 * Runs one S3 call under the store's retry policy, with errors mapped for `key`.
 *
 * @example
 * ```ts
 * const head = await retrying(ctx, key, 'stat', () => ctx.client.statObject(ctx.bucket, name));
 * ```
 */
export function retrying<T>(
  ctx: S3Context,
  key: string,
  operation: string,
  call: (attempt: number) => Promise<T>,
): Promise<T> {
  return withRetry(ctx.retry, (error) => fromS3Error(error, { bucket: ctx.bucket, key, operation }), call);
}
