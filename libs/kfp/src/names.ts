/**
 * Kiln ids are DNS labels. KFP task names already are (the SDK sanitizes
 * them), so they are kept as they are and anything else is refused; component
 * keys and pipeline names are Kiln's own and get sanitized.
 */

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

/**
 * A DNS label made from any text: lowercase, runs of other characters become
 * "-", at most 63 characters (long names keep a short hash so they stay apart).
 *
 * @example
 * ```ts
 * toDnsLabel('My Pipeline_v2'); // 'my-pipeline-v2'
 * ```
 */
export function toDnsLabel(text: string, fallback = 'pipeline'): string {
  const base = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (base === '') return fallback;
  if (base.length <= 63) return base;
  const hash = fnv1a(text).toString(36).padStart(7, '0').slice(0, 7);
  return `${base.slice(0, 55).replace(/-+$/, '')}-${hash}`;
}

/** The Kiln component key for a KFP component key: `comp-train` → `train`. */
export function componentKey(kfpKey: string, taken: ReadonlySet<string>): string {
  const base = toDnsLabel(kfpKey.replace(/^comp-/, ''), 'component');
  let key = base;
  for (let n = 2; taken.has(key); n++) key = toDnsLabel(`${base}-${n}`);
  return key;
}

/** 32-bit FNV-1a: a stable short hash for name suffixes (not for security). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
