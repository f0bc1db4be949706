// Node-only: node:crypto. Workflow code imports '@kiln/ir', never this file.
import { createHash } from 'node:crypto';
import { canonicalize } from './canonical';
import type { PipelineSpec } from './schema';

export { digestListing } from './listing-digest';

/**
 * The identity of a pipeline version: `sha256:<hex>` of its canonical JSON.
 * Key order, `undefined` fields and JSON/YAML source do not change it.
 */
export function specDigest(spec: PipelineSpec): string {
  return `sha256:${createHash('sha256').update(canonicalize(spec), 'utf8').digest('hex')}`;
}
