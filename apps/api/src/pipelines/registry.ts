/**
 * Pipelines and their versions, kept in the artifact store (no database; the
 * keys and the version schema are `@kiln/store-layout`'s):
 *
 *   pipelines/<name>/<sha256 hex>.json        the canonical IR, content-addressed
 *   pipelines/<name>/versions/<version>.json  a version: { name, version, digest, createdAt, createdBy, description? }
 *
 * Each version object is the index entry for one upload. It is created with
 * an atomic create (`ifAbsent`), so two uploads racing for the same label
 * cannot both win and no read-modify-write index can be lost; listing is a
 * prefix listing of `versions/`. Versions are immutable: a label names one
 * digest forever (re-uploading the same IR under it is a no-op, different IR
 * is a 409). Unlabelled uploads get the next number ("1", "2", ...), or the
 * existing version when the same IR was uploaded before.
 */
import { ArtifactExistsError, ArtifactNotFoundError, type ArtifactStore } from '@kiln/artifacts';
import { canonicalize, pipelineSpecSchema, type PipelineSpec } from '@kiln/ir';
import { specDigest } from '@kiln/ir/node';
import { versionDigestMismatch, type PipelineSummary, type PipelineVersion } from '@kiln/api-contract';
import {
  pipelinePrefix,
  pipelineSpecKey,
  pipelineVersionKey,
  pipelineVersionOfKey,
  pipelinesPrefix,
  pipelineVersionSchema,
  pipelineVersionsPrefix,
} from '@kiln/store-layout';
import { conflict, notFound } from '../errors';

export type { PipelineSummary, PipelineVersion };

export class PipelineRegistry {
  constructor(private readonly store: ArtifactStore) {}

  /**
   * Stores a validated spec as a version. `created` is false when the same IR
   * already had this label (or, unlabelled, any label).
   *
   * @throws ApiError 409 when `version` already names a different digest.
   */
  async upload(
    spec: PipelineSpec,
    options: { version?: string; createdBy: string; description?: string },
  ): Promise<{ version: PipelineVersion; created: boolean }> {
    const name = spec.pipeline.name;
    const digest = specDigest(spec);
    await this.putSpec(spec, digest);
    const existing = await this.versions(name);
    if (options.version === undefined) {
      const same = existing.find((v) => v.digest === digest);
      if (same) return { version: same, created: false };
    }
    let next = Math.max(0, ...existing.map((v) => (/^\d+$/.test(v.version) ? Number(v.version) : 0))) + 1;
    for (let tries = 0; tries < 20; tries++) {
      const label = options.version ?? String(next++);
      const version: PipelineVersion = {
        name,
        version: label,
        digest,
        createdAt: new Date().toISOString(),
        createdBy: options.createdBy,
        ...(options.description ? { description: options.description } : {}),
      };
      try {
        await this.store.writeJson(pipelineVersionKey(name, label), version, { ifAbsent: true });
        return { version, created: true };
      } catch (error) {
        if (!(error instanceof ArtifactExistsError)) throw error;
        if (options.version === undefined) continue; // someone took this number first: try the next
        const taken = await this.store.readJson(pipelineVersionKey(name, label), pipelineVersionSchema);
        if (taken.digest === digest) return { version: taken, created: false };
        throw conflict(
          `pipeline ${name} version ${label} already exists with digest ${taken.digest}; versions are immutable, upload under a new version`,
          {
            version: label,
            digest: taken.digest,
          },
        );
      }
    }
    throw conflict(`could not allocate a version number for pipeline ${name}: too many concurrent uploads, retry`);
  }

  /** Stores the IR under its digest (idempotent). Runs of inline IR use this too, so they can be retried. */
  async putSpec(spec: PipelineSpec, digest = specDigest(spec)): Promise<string> {
    try {
      await this.store.put(pipelineSpecKey(spec.pipeline.name, digest), canonicalize(spec), { ifAbsent: true });
    } catch (error) {
      if (!(error instanceof ArtifactExistsError)) throw error;
    }
    return digest;
  }

  /** Every pipeline with at least one version, by name. */
  async list(): Promise<PipelineSummary[]> {
    const names = new Set<string>();
    for await (const key of this.store.list(pipelinesPrefix)) {
      const version = pipelineVersionOfKey(key);
      if (version) names.add(version.name);
    }
    const out: PipelineSummary[] = [];
    for (const name of [...names].sort()) {
      const versions = await this.versions(name);
      const latest = versions[versions.length - 1];
      if (latest) out.push({ name, versions: versions.length, latest });
    }
    return out;
  }

  /** Versions of a pipeline, oldest first; empty if none. */
  async versions(name: string): Promise<PipelineVersion[]> {
    const out: PipelineVersion[] = [];
    for await (const key of this.store.list(pipelineVersionsPrefix(name))) {
      if (!pipelineVersionOfKey(key)) continue;
      try {
        out.push(await this.store.readJson(key, pipelineVersionSchema));
      } catch (error) {
        if (!(error instanceof ArtifactNotFoundError)) throw error; // deleted while listing
      }
    }
    return out.sort(
      (a, b) =>
        a.createdAt.localeCompare(b.createdAt) || a.version.localeCompare(b.version, undefined, { numeric: true }),
    );
  }

  /** @throws ApiError 404 */
  async version(name: string, version: string): Promise<PipelineVersion> {
    try {
      return await this.store.readJson(pipelineVersionKey(name, version), pipelineVersionSchema);
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) throw notFound(`pipeline ${name} has no version ${version}`);
      throw error;
    }
  }

  /** The newest version. @throws ApiError 404 */
  async latest(name: string): Promise<PipelineVersion> {
    const versions = await this.versions(name);
    const latest = versions[versions.length - 1];
    if (!latest) throw notFound(`pipeline ${name} not found`);
    return latest;
  }

  /** The IR with this digest. @throws ApiError 404 */
  async spec(name: string, digest: string): Promise<PipelineSpec> {
    try {
      return await this.store.readJson(pipelineSpecKey(name, digest), pipelineSpecSchema);
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) throw notFound(`pipeline ${name} has no IR with digest ${digest}`);
      throw error;
    }
  }

  /**
   * Resolves a reference: a version label, a digest, or neither (the latest version).
   *
   * @example
   * ```ts
   * const { spec, version } = await registry.resolve('training', { version: '3' });
   * ```
   */
  async resolve(
    name: string,
    ref: { version?: string; digest?: string },
  ): Promise<{ spec: PipelineSpec; digest: string; version?: string }> {
    if (ref.digest) {
      const spec = await this.spec(name, ref.digest);
      if (ref.version) {
        const v = await this.version(name, ref.version);
        if (v.digest !== ref.digest) throw conflict(versionDigestMismatch(name, ref.version, v.digest, ref.digest));
      }
      return { spec, digest: ref.digest, ...(ref.version ? { version: ref.version } : {}) };
    }
    const v = ref.version ? await this.version(name, ref.version) : await this.latest(name);
    return { spec: await this.spec(name, v.digest), digest: v.digest, version: v.version };
  }

  /** Deletes one version, and its IR when no other version uses it. @throws ApiError 404 */
  async deleteVersion(name: string, version: string): Promise<void> {
    const v = await this.version(name, version);
    await this.store.delete(pipelineVersionKey(name, version));
    const others = await this.versions(name);
    if (!others.some((o) => o.digest === v.digest)) await this.store.delete(pipelineSpecKey(name, v.digest));
  }

  /** Deletes a pipeline: every version and every stored IR. Runs and their records stay. @throws ApiError 404 */
  async deletePipeline(name: string): Promise<number> {
    const versions = await this.versions(name);
    if (versions.length === 0) throw notFound(`pipeline ${name} not found`);
    const keys: string[] = [];
    for await (const key of this.store.list(pipelinePrefix(name))) keys.push(key);
    for (const key of keys) await this.store.delete(key);
    return versions.length;
  }
}
