/**
 * Polls `probe` until it returns a value (not `undefined`) or `timeoutMs` has
 * passed; a probe that throws counts as "not yet", and the last error goes into
 * the timeout message.
 *
 * @example
 * ```ts
 * const run = await eventually(async () => (await getRun(id)).state === 'SUCCEEDED' ? run : undefined, `run ${id} to succeed`, 90_000);
 * ```
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
