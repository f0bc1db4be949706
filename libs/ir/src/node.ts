/**
 * `@kiln/ir/node`: the parts of the IR library that need Node built-ins —
 * digests of specs and directory listings (node:crypto) and reading spec files (node:fs). Workflow code must
 * import `@kiln/ir` instead; Temporal's sandbox has neither module.
 *
 * @example
 * ```ts
 * import { readSpecFile, specDigest } from '@kiln/ir/node';
 *
 * const result = await readSpecFile('pipeline.yaml');
 * if (result.ok) console.log(specDigest(result.spec)); // sha256:3f1c...
 * ```
 */
import { readFile } from 'node:fs/promises';
import type { ValidationResult } from './errors';
import { parseSpec } from './parse';
import type { PipelineSpec } from './schema';

export { digestListing, specDigest } from './digest';

/**
 * Reads and validates a JSON or YAML IR file. A file that cannot be read
 * rejects (an I/O problem, not an invalid spec); an invalid spec resolves to
 * `{ ok: false, errors }` with the file name and line in each error.
 */
export async function readSpecFile(file: string): Promise<ValidationResult<PipelineSpec>> {
  return parseSpec(await readFile(file, 'utf8'), { source: file });
}
