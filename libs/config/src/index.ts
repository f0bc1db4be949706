/**
 * Settings for Kiln's processes (worker, API): read from `KILN_*` environment
 * variables and an optional YAML/JSON file, validated with zod, with errors
 * that name the setting the way the user wrote it, and secrets kept out of
 * every message. Shared field types (host:port, durations, store URLs, Temporal
 * connection settings) keep the apps' settings consistent.
 *
 * @example
 * ```ts
 * import { loadSettings, temporalSchema, temporalSources, ConfigError } from '@kiln/config';
 *
 * try {
 *   const settings = loadSettings(schema, sources, { env: process.env, file: process.env.KILN_CONFIG });
 * } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.message); // "KILN_TEMPORAL_ADDRESS: expected host:port" (never the value)
 * }
 * ```
 *
 * @packageDocumentation
 */
export * from './settings';
export * from './fields';
export * from './temporal-connection';
export * from './input-limits';
