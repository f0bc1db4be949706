/**
 * Durations ("10s", "1h30m", "7d") and Kubernetes quantities ("500m", "4Gi"),
 * checked when a setting is made so the error names the task.
 */
import { DslError } from './errors';

/** A duration: seconds as a number, or text like `'500ms'`, `'10s'`, `'5m'`, `'1h30m'`, `'7d'`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd' | 'w'}${string}`;

const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in a duration, or a DslError naming `where`. */
export function parseDuration(value: Duration | string, where: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new DslError(`${where}: duration ${value} must be a non-negative number of seconds`);
    return value;
  }
  const text = String(value).trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * (unitSeconds[m[2] as string] as number);
    matched = re.lastIndex;
  }
  if (text.length === 0 || matched !== text.length) {
    throw new DslError(
      `${where}: '${text}' is not a duration; use e.g. '30s', '5m', '1h30m', '7d' or a number of seconds`,
    );
  }
  return Math.round(total * 1000) / 1000;
}

/** Whole seconds (at least `min`) in a duration. */
export function parseWholeSeconds(value: Duration | string, where: string, min = 1): number {
  const s = parseDuration(value, where);
  if (!Number.isInteger(s) || s < min)
    throw new DslError(`${where}: '${value}' must be a whole number of seconds, at least ${min}`);
  return s;
}

const quantityRe = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;

/** A Kubernetes quantity, given as text or a number. */
export type Quantity = string | number;

export function parseQuantity(value: Quantity, where: string): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (!quantityRe.test(text))
    throw new DslError(`${where}: '${text}' is not a Kubernetes quantity; use e.g. '500m', '2', '512Mi', '4Gi'`);
  return text;
}
