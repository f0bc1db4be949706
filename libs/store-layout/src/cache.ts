/**
 * The step cache: one entry per fingerprint, `cache/<hex>.json`, holding the
 * step result the fingerprint produced (no database besides Temporal and the store).
 */
import { cachedStepSchema } from '@kiln/engine-contract/schemas';
import { z } from 'zod';

/**
 * The cache entry of a fingerprint (`sha256:<hex>` or bare hex).
 *
 * @example
 * ```ts
 * cacheEntryKey('sha256:9c1e…'); // 'cache/9c1e….json'
 * ```
 */
export function cacheEntryKey(fingerprint: string): string {
  return `cache/${fingerprint.replace(/^sha256:/, '')}.json`;
}

/** What `cache/<hex>.json` holds: the cached step (result, run, time) and what it was saved for. */
export const cacheEntrySchema = cachedStepSchema.extend({
  fingerprint: z.string().describe('`sha256:<hex>` the entry is keyed by'),
  taskId: z.string().describe('The task whose result this is, in the run that produced it'),
});

export type CacheEntry = z.infer<typeof cacheEntrySchema>;
