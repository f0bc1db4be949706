/**
 * The environment a step's command gets: built from an allow-list, never the
 * launcher's (= the worker's) own. The worker holds the store's keys
 * (`KILN_S3_*`, `AWS_*`), Temporal's (`TEMPORAL_*`, `KILN_TEMPORAL_*`) and
 * whatever else its host has; a step's log is readable by every viewer, so
 * nothing of that may reach the command.
 */

/** Host variables a command may need to behave normally: where it is, who it runs as, its locale and time zone. */
const passedHostVariables = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TERM',
  'LANG',
  'LANGUAGE',
  'TZ',
]);

/** `LC_ALL`, `LC_CTYPE`, …: the locale categories. */
const localeVariable = /^LC_[A-Z]+$/;

/**
 * The command's environment: the allowed host variables (PATH, HOME, USER,
 * LOGNAME, SHELL, TMPDIR, TERM, LANG, LANGUAGE, LC_*, TZ), then the step's
 * declared env, then Kiln's own step variables (which win).
 *
 * @example
 * ```ts
 * stepEnvironment(process.env, { LR: '0.1' }, { PATH: venvPath });
 * // { PATH: venvPath, HOME: '/home/kiln', LANG: 'C.UTF-8', LR: '0.1' }: no KILN_S3_SECRET_KEY, no AWS_*
 * ```
 */
export function stepEnvironment(
  host: NodeJS.ProcessEnv,
  declared: Record<string, string> = {},
  kiln: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(host)) {
    if (value !== undefined && (passedHostVariables.has(name) || localeVariable.test(name))) env[name] = value;
  }
  return { ...env, ...declared, ...kiln };
}
