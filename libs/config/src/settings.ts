/**
 * Settings from the environment and an optional YAML/JSON file, validated with
 * zod, with errors that name the setting the way the user wrote it and what it
 * expects, never the value given (a token pasted into the wrong variable must not
 * reach a log): the environment variable (`KILN_TEMPORAL_ADDRESS: expected host:port`)
 * or the file and path (`/etc/kiln/worker.yaml: temporal.address: ...`).
 *
 * The environment wins over the file, so a deployment can keep a checked-in
 * file and override one value per environment.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/** One setting: where it sits in the config object and the variable that sets it. */
export interface SettingSource {
  /** Dotted path in the config object (and the file), e.g. `temporal.address`. */
  path: string;
  /** Environment variable, e.g. `KILN_TEMPORAL_ADDRESS`. */
  env: string;
  /** A secret: its value never appears in an error message (nor anywhere else). */
  secret?: boolean;
  /**
   * Read from the environment by someone else (e.g. the S3 store reads `KILN_S3_*`):
   * listed only so that a config file holding it is refused.
   */
  envOnly?: boolean;
}

/** What is wrong with one setting. */
export interface ConfigProblem {
  /** The name the user wrote the setting under. */
  setting: string;
  message: string;
}

/** The configuration is invalid; `message` lists every problem, one per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => `${p.setting}: ${p.message}`).join('\n'));
  }
}

export interface LoadSettingsOptions {
  env: NodeJS.ProcessEnv;
  /** Variable naming the config file (e.g. `KILN_CONFIG`); unset = no file. */
  fileVariable: string;
}

/**
 * Reads the file named by `options.fileVariable` (if set), overlays the
 * environment variables of `sources`, and validates the result with `schema`.
 *
 * @throws {ConfigError} naming each invalid setting.
 * @example
 * ```ts
 * const config = loadSettings(workerConfigSchema, workerSettings, { env: process.env, fileVariable: 'KILN_CONFIG' });
 * ```
 */
export function loadSettings<S extends z.ZodType>(
  schema: S,
  sources: readonly SettingSource[],
  options: LoadSettingsOptions,
): z.output<S> {
  const { env, fileVariable } = options;
  const file = env[fileVariable] || undefined;
  const raw: Record<string, unknown> = file ? readConfigFile(file, fileVariable) : {};
  const origin = new Map<string, string>();
  const problems: ConfigProblem[] = [];

  for (const source of sources) {
    if (file && source.envOnly && getPath(raw, source.path) !== undefined) {
      problems.push({
        setting: `${file}: ${source.path}`,
        message: `set it in the environment (${source.env}), never in a file`,
      });
    }
    if (source.envOnly) continue;
    const value = env[source.env];
    if (value !== undefined && value !== '') {
      setPath(raw, source.path, value);
      origin.set(source.path, source.env);
    } else if (file && getPath(raw, source.path) !== undefined) {
      origin.set(source.path, `${file}: ${source.path}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    // Unknown keys are reported on their parent object; name them one by one.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => (path ? `${path}.${k}` : k)) : [path];
    for (const key of keys) {
      const source = sources.find((s) => s.path === key);
      const setting =
        origin.get(key) ??
        (source ? `${source.env}${file ? ` (or ${key} in ${file})` : ''}` : file ? `${file}: ${key}` : key);
      // Never the value: a misplaced token, key or password would land in a log (issue 13).
      const shown = issue.code === 'unrecognized_keys' ? 'unknown setting' : issue.message;
      problems.push({ setting, message: shown });
    }
  }
  throw new ConfigError(problems);
}

function readConfigFile(file: string, variable: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ setting: variable, message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
  let value: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    value = parseYaml(text);
  } catch (error) {
    throw new ConfigError([
      { setting: variable, message: `${file} is not valid YAML or JSON: ${(error as Error).message}` },
    ]);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([{ setting: variable, message: `${file} must hold an object of settings` }]);
  }
  return value as Record<string, unknown>;
}

function getPath(object: Record<string, unknown>, path: string): unknown {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = object;
  for (const part of parts.slice(0, -1)) {
    const next = current[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1] as string] = value;
}
