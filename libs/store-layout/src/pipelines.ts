/**
 * The API's pipeline registry, in the store:
 *
 *   pipelines/<name>/<sha256 hex>.json        the canonical IR, content-addressed (`pipelineSpecSchema` of `@kiln/ir`)
 *   pipelines/<name>/versions/<version>.json  one version's index entry (`pipelineVersionSchema`)
 */
import { z } from 'zod';

/** Key prefix of every pipeline (with the trailing "/"). */
export const pipelinesPrefix = 'pipelines/';

/** A key the API's readiness check asks the store about; nothing is written there, and "absent" is a fine answer. */
export const storeProbeKey = 'pipelines/.readyz';

/**
 * Key prefix of everything of one pipeline (with the trailing "/").
 *
 * @example
 * ```ts
 * pipelinePrefix('training'); // 'pipelines/training/'
 * ```
 */
export function pipelinePrefix(name: string): string {
  return `${pipelinesPrefix}${name}/`;
}

/**
 * The canonical IR of one pipeline version, by its digest (`sha256:<hex>` or bare hex).
 *
 * @example
 * ```ts
 * pipelineSpecKey('training', 'sha256:ab12…'); // 'pipelines/training/ab12….json'
 * ```
 */
export function pipelineSpecKey(name: string, digest: string): string {
  return `${pipelinePrefix(name)}${digest.replace(/^sha256:/, '')}.json`;
}

/**
 * Key prefix of a pipeline's version entries (with the trailing "/").
 *
 * @example
 * ```ts
 * pipelineVersionsPrefix('training'); // 'pipelines/training/versions/'
 * ```
 */
export function pipelineVersionsPrefix(name: string): string {
  return `${pipelinePrefix(name)}versions/`;
}

/**
 * The index entry of one version label.
 *
 * @example
 * ```ts
 * pipelineVersionKey('training', '3'); // 'pipelines/training/versions/3.json'
 * ```
 */
export function pipelineVersionKey(name: string, version: string): string {
  return `${pipelineVersionsPrefix(name)}${version}.json`;
}

/**
 * The pipeline and version label a {@link pipelineVersionKey} names, for keys found by listing.
 *
 * @returns undefined for any other key.
 * @example
 * ```ts
 * pipelineVersionOfKey('pipelines/training/versions/3.json'); // { name: 'training', version: '3' }
 * pipelineVersionOfKey('pipelines/training/ab12….json');      // undefined
 * ```
 */
export function pipelineVersionOfKey(key: string): { name: string; version: string } | undefined {
  const match = /^pipelines\/([^/]+)\/versions\/([^/]+)\.json$/.exec(key);
  return match?.[1] && match[2] ? { name: match[1], version: match[2] } : undefined;
}

/** What `pipelines/<name>/versions/<version>.json` holds. Versions are immutable: a label names one digest forever. */
export const pipelineVersionSchema = z.object({
  name: z.string(),
  version: z.string(),
  digest: z.string().describe('`sha256:<hex>` of the canonical IR'),
  createdAt: z.string().describe('ISO-8601 time of the upload'),
  createdBy: z.string().describe("The uploader's token name"),
  description: z.string().optional(),
});

export type PipelineVersion = z.infer<typeof pipelineVersionSchema>;
