/**
 * The cache fingerprint (DESIGN.md section 4): sha256 over the canonical JSON of
 * what decides a step's result — the component's implementation and interface,
 * the resolved input parameters, the input artifacts' CONTENT digests (never
 * their names or URIs: KFP keys on those and serves stale results), the output
 * names and types, and the user's cache key.
 */
import { createHash } from 'node:crypto';
import { locate, type ArtifactStore } from '@kiln/artifacts';
import type { ArtifactRef, CacheLookupRequest } from '@kiln/engine-contract';
import { canonicalJson } from '@kiln/ir';

/** Bump to invalidate every existing cache entry when the fingerprint's inputs change meaning. */
const FINGERPRINT_VERSION = 1;

async function contentDigest(ref: ArtifactRef, store: ArtifactStore): Promise<string> {
  if (ref.digest) return ref.digest;
  // Refs from older records or imports may lack a digest: read it from the bytes.
  const { store: source, key } = locate(ref.uri, store);
  return (await source.stat(key)).digest;
}

/**
 * `sha256:<hex>` of a step's cacheable identity.
 *
 * @example
 * ```ts
 * const fp = await computeFingerprint(req, store); // 'sha256:9c1e…'
 * ```
 */
export async function computeFingerprint(req: CacheLookupRequest, store: ArtifactStore): Promise<string> {
  const artifacts: Record<string, string | string[]> = {};
  for (const [name, given] of Object.entries(req.inputs.artifacts)) {
    artifacts[name] = Array.isArray(given)
      ? await Promise.all(given.map((ref) => contentDigest(ref, store)))
      : await contentDigest(given, store);
  }
  const { implementation, inputs, outputs } = req.component;
  const identity = {
    version: FINGERPRINT_VERSION,
    component: { implementation, inputs, outputs },
    params: req.inputs.params,
    artifacts,
    outputs: req.outputs,
    key: req.key ?? null,
  };
  return `sha256:${createHash('sha256').update(canonicalJson(identity)).digest('hex')}`;
}
