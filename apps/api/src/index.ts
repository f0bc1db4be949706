/**
 * The Kiln HTTP API: pipelines and versions, runs (create, list, get, cancel,
 * retry, logs, artifacts), Temporal Schedules, health. OpenAPI at
 * `/openapi.json`, docs UI at `/docs`. `main.ts` is the process;
 * `buildServer` builds the same app for embedding (`kiln dev`) and tests.
 *
 * @example
 * ```ts
 * import { buildServer, PipelineRegistry } from './index';
 * const app = await buildServer({
 *   deps: { client, store, registry: new PipelineRegistry(store), taskQueue: 'kiln', limits: { pipelineBytes: 5 << 20, paramsBytes: 256 << 10 } },
 *   auth: { tokens: [{ name: 'ci', role: 'operator', sha256: hashToken('secret') }], disabled: false },
 * });
 * const res = await app.inject({ method: 'GET', url: '/runs', headers: { authorization: 'Bearer secret' } });
 * ```
 *
 * @packageDocumentation
 */
export { buildServer, type BuildServerOptions } from './server';
export type { ApiDeps } from './deps';
export { loadApiConfig } from './config/load';
export { apiConfigSchema, type ApiConfig } from './config/schema';
export { ConfigError } from '@kiln/config';
export { temporalConnectionOptions } from '@kiln/config';
export { PipelineRegistry } from './pipelines/registry';
export type { PipelineVersion, PipelineSummary } from '@kiln/api-contract';
export { hashToken, findToken, apiTokensSchema, type ApiToken } from './auth/tokens';
export { roles, allows, type Role } from '@kiln/api-contract';
export { ApiError } from './errors';
export type { ApiErrorCode } from '@kiln/api-contract';
export { checkParams } from './runs/params';
