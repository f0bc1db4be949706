/**
 * Limits on untrusted input, as settings: the API, the worker and the CLI read
 * them under the same names. They are checked before anything parses or
 * validates the input (see `@kiln/ir`'s `InputLimits`). The depth and alias
 * defaults repeat the IR library's (this library imports nothing of Kiln's; the
 * API's config test keeps them equal); the token default is a server's, lower
 * than the library's, because an API parses uploads from others.
 */
import { z } from 'zod';
import { integer } from './fields';

/** Defaults of {@link inputLimitsSchema}. */
export const inputLimitDefaults = { maxDepth: 128, maxYamlTokens: 200_000, maxYamlAliases: 100 } as const;

/**
 * `maxDepth`: deepest nesting of objects/arrays in a request body, an upload, a
 * pipeline file or run parameters. `maxYamlTokens`: most YAML tokens in one
 * upload (parsing costs ~0.5 KB per token; 200,000 is ~1.2 MB of IR YAML: send
 * bigger pipelines as JSON). `maxYamlAliases`: most `*alias` uses in one document.
 *
 * @example
 * ```ts
 * inputLimitsSchema.parse({ maxDepth: '64' }); // { maxDepth: 64, maxYamlTokens: 200000, maxYamlAliases: 100 }
 * ```
 */
export const inputLimitsSchema = z
  .strictObject({
    maxDepth: integer(8, 1000).default(inputLimitDefaults.maxDepth),
    maxYamlTokens: integer(1000, 10_000_000).default(inputLimitDefaults.maxYamlTokens),
    maxYamlAliases: integer(0, 10_000).default(inputLimitDefaults.maxYamlAliases),
  })
  .default(inputLimitDefaults);

/** Environment variables of {@link inputLimitsSchema}, at `prefix` in the config object (e.g. `limits`). */
export function inputLimitSources(prefix: string) {
  return [
    { path: `${prefix}.maxDepth`, env: 'KILN_MAX_INPUT_DEPTH' },
    { path: `${prefix}.maxYamlTokens`, env: 'KILN_MAX_YAML_TOKENS' },
    { path: `${prefix}.maxYamlAliases`, env: 'KILN_MAX_YAML_ALIASES' },
  ] as const;
}
