/** Loading the API's configuration at start. */
import { defaultStoreUrl } from '@kiln/artifacts';
import { apiConfigSchema, apiSettingSources, type ApiConfig } from './schema';
import { loadSettings } from '@kiln/config';

/**
 * The API's configuration from `env` and the file named by `KILN_API_CONFIG`
 * (falling back to `KILN_CONFIG`, so the worker and the API can share one file).
 *
 * @throws {ConfigError} naming each invalid setting.
 * @example
 * ```ts
 * const config = loadApiConfig({ KILN_API_TOKENS: 'ci:operator:<sha256>' });
 * ```
 */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const fileVariable = env['KILN_API_CONFIG'] ? 'KILN_API_CONFIG' : 'KILN_CONFIG';
  const config = loadSettings(apiConfigSchema, apiSettingSources, { env, fileVariable });
  return { ...config, store: { url: config.store.url ?? defaultStoreUrl(env) } };
}
