/**
 * Retrying what can succeed later. Errors are already classified where they are raised
 * (`retryable` on every {@link ArtifactError}); this only decides how long to keep trying.
 * A MinIO restart or a rolling S3 outage typically lasts seconds, so the default budget is a
 * minute of exponential backoff with jitter; after that the error goes up to the launcher or the
 * activity, whose own retry policy takes over.
 */
import { ArtifactError, ArtifactNotFoundError } from '../errors';

export interface RetryPolicy {
  /** Stop retrying once this much time has passed since the first attempt. */
  budgetMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { budgetMs: 60_000, initialDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the budget is spent.
 * `classify` turns whatever was thrown into an {@link ArtifactError}. Not-found is never retried
 * here: it is retryable for a caller waiting on an upstream step, not for a single request.
 *
 * @example
 * ```ts
 * const stat = await withRetry(DEFAULT_RETRY, (e) => fromS3Error(e, where), () => client.statObject(bucket, name));
 * ```
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  classify: (error: unknown) => ArtifactError,
  attempt: (n: number) => Promise<T>,
): Promise<T> {
  const started = Date.now();
  let delay = policy.initialDelayMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (raw) {
      const error = classify(raw);
      const wait = Math.min(delay, policy.maxDelayMs) * (0.5 + Math.random() / 2);
      if (!error.retryable || error instanceof ArtifactNotFoundError || Date.now() - started + wait > policy.budgetMs)
        throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay *= 2;
    }
  }
}
