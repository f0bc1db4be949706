/** Which Kubernetes API errors are tried again, and how (checklist item 11). */
import { ApiException } from '@kubernetes/client-node';
import { isTransient, statusOf, withApiRetry } from '../src';

describe('API retries', () => {
  test('429 with Retry-After, 5xx and connection resets are transient; 404, 403, 422 and an AlreadyExists 409 are not', () => {
    expect(isTransient(new ApiException(429, 'slow down', {}, { 'retry-after': '3' }))).toEqual({
      transient: true,
      retryAfterMs: 3000,
    });
    expect(isTransient(new ApiException(503, 'unavailable', {}, {}))).toEqual({ transient: true });
    expect(
      isTransient(Object.assign(new Error('request failed, reason: socket hang up'), { code: 'ECONNRESET' })),
    ).toEqual({ transient: true });
    for (const code of [400, 403, 404, 422, 409])
      expect(isTransient(new ApiException(code, 'no', {}, {})).transient).toBe(false);
  });

  test('the status of an API error or a watch error', () => {
    expect(statusOf(new ApiException(410, 'gone', {}, {}))).toBe(410);
    expect(statusOf(Object.assign(new Error('watch failed'), { statusCode: 410 }))).toBe(410);
    expect(statusOf(new Error('ECONNRESET'))).toBeUndefined();
  });

  test('409 Conflict is transient only for updates that may race', () => {
    expect(isTransient(new ApiException(409, 'conflict', {}, {}), { conflicts: true }).transient).toBe(true);
  });

  test('withApiRetry retries transient errors, waits as told, and gives up on the others at once', async () => {
    let calls = 0;
    const value = await withApiRetry(
      async () => {
        calls++;
        if (calls < 3) throw new ApiException(429, 'slow down', {}, { 'retry-after': '0' });
        return 'ok';
      },
      { initialDelayMs: 1 },
    );
    expect([value, calls]).toEqual(['ok', 3]);

    let notFoundCalls = 0;
    await expect(
      withApiRetry(async () => {
        notFoundCalls++;
        throw new ApiException(404, 'gone', {}, {});
      }),
    ).rejects.toMatchObject({ code: 404 });
    expect(notFoundCalls).toBe(1);
  });
});
