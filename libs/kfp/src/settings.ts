/**
 * Task-level KFP settings → Kiln task settings: display name, caching, retry
 * policy and `ALL_UPSTREAM_TASKS_COMPLETED` (ignore upstream failure), merged
 * with what the task's executor (env, resources) and platform config ask for.
 */
import type { TaskSettings } from '@kiln/ir';
import type { At } from './reader';

/** Settings read from the task spec itself. `exitTask`: its trigger strategy is the exit handler's. */
export function readTaskSettings(task: At, id: string, exitTask: boolean): TaskSettings {
  const settings: TaskSettings = {};
  const displayName = task.child('taskInfo').child('name').string();
  if (displayName && displayName !== id) settings.displayName = displayName;
  const caching = task.child('cachingOptions');
  caching.only({ enableCache: null, cacheKey: null });
  // Protobuf leaves `enableCache: false` out: no cachingOptions, or `{}`, means caching is off.
  if (caching.child('enableCache').boolean() !== true) settings.caching = { enabled: false };
  else {
    const key = caching.child('cacheKey').string();
    if (key) settings.caching = { enabled: true, key };
  }
  const retry = readRetry(task.child('retryPolicy'));
  if (retry) settings.retry = retry;
  const strategy = task.child('triggerPolicy').child('strategy');
  const value = strategy.string();
  if (value === 'ALL_UPSTREAM_TASKS_COMPLETED' && !exitTask) settings.ignoreUpstreamFailure = true;
  else if (value && value !== 'ALL_UPSTREAM_TASKS_SUCCEEDED' && value !== 'ALL_UPSTREAM_TASKS_COMPLETED') {
    strategy.report('trigger strategies', `unknown trigger strategy "${value}"`);
  }
  return settings;
}

/** KFP retries any failure `maxRetryCount` times; Kiln counts attempts. Defaults are the KFP SDK's. */
function readRetry(at: At): TaskSettings['retry'] {
  at.only({ maxRetryCount: null, backoffDuration: null, backoffFactor: null, backoffMaxDuration: null });
  const retries = at.child('maxRetryCount').number();
  if (retries === undefined || retries <= 0) return undefined;
  const initial = seconds(at.child('backoffDuration')) ?? 0;
  const max = seconds(at.child('backoffMaxDuration')) ?? 3600;
  const factor = at.child('backoffFactor').number() ?? 2;
  if (factor < 1) {
    return at
      .child('backoffFactor')
      .refuse(
        'task.set_retry(backoff_factor=...)',
        `a backoff factor of ${factor}: Kiln backoff never shrinks (factor >= 1)`,
      );
  }
  return {
    maxAttempts: Math.trunc(retries) + 1,
    initialBackoffSeconds: initial,
    backoffFactor: factor,
    maxBackoffSeconds: max,
    retryOn: ['user', 'infrastructure'],
  };
}

/** A protobuf Duration in its JSON form: `"30s"`, `"1.5s"`. */
function seconds(at: At): number | undefined {
  const text = at.string();
  if (text === undefined) return undefined;
  const m = /^(\d+(\.\d+)?)s$/.exec(text);
  if (!m) return at.refuse('task.set_retry', `"${text}" is not a duration like "30s"`);
  return Number(m[1]);
}

/** Later settings win field by field; lists of secrets, volumes... are concatenated. */
export function mergeSettings(...parts: TaskSettings[]): TaskSettings {
  const out: TaskSettings = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part) as [keyof TaskSettings, TaskSettings[keyof TaskSettings]][]) {
      const previous = out[key];
      if (Array.isArray(previous) && Array.isArray(value)) Object.assign(out, { [key]: [...previous, ...value] });
      else if (
        isPlainRecord(previous) &&
        isPlainRecord(value) &&
        (key === 'env' || key === 'labels' || key === 'annotations' || key === 'nodeSelector')
      ) {
        Object.assign(out, { [key]: { ...previous, ...value } });
      } else Object.assign(out, { [key]: value });
    }
  }
  return out;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
