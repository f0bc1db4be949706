import { ArtifactIoError, InvalidKeyError } from '../src/errors';
import { withRetry } from '../src/s3/retry';

// Counts attempts instead of timing them: how long the jittered backoff sleeps is not the behaviour.
describe('withRetry', () => {
  const policy = { budgetMs: 400, initialDelayMs: 10, maxDelayMs: 40 };

  test('keeps retrying a retryable error until the budget is spent, then throws it', async () => {
    let attempts = 0;
    const error = await withRetry(
      policy,
      (e) => e as ArtifactIoError,
      async () => {
        attempts++;
        throw new ArtifactIoError('a.txt', 'put', true);
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactIoError);
    expect(attempts).toBeGreaterThan(2);
  });

  test('throws a non-retryable error at once', async () => {
    let attempts = 0;
    await expect(
      withRetry(
        policy,
        (e) => e as InvalidKeyError,
        async () => {
          attempts++;
          throw new InvalidKeyError('../x', 'a .. segment');
        },
      ),
    ).rejects.toBeInstanceOf(InvalidKeyError);
    expect(attempts).toBe(1);
  });

  test('returns the first success', async () => {
    let attempts = 0;
    const value = await withRetry(
      policy,
      (e) => e as ArtifactIoError,
      async () => {
        attempts++;
        if (attempts < 3) throw new ArtifactIoError('a.txt', 'put', true);
        return 'ok';
      },
    );
    expect(value).toBe('ok');
    expect(attempts).toBe(3);
  });
});
