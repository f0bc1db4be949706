/**
 * Output parameters arrive as text (a file the command wrote) or as JSON (the
 * Python shim's answer); either way they are checked against the declared type
 * before anything downstream sees them.
 */
import type { JsonValue, ParamType } from '@kiln/ir';
import { LaunchError } from './errors';

function invalid(name: string, type: ParamType, shown: string): LaunchError {
  return new LaunchError('user', 'InvalidOutputParam', `output parameter "${name}" should be ${type} but is ${shown}`);
}

/**
 * Parses the content of an output-parameter file per its type. One trailing
 * newline is dropped from strings, because `echo yes > $out` is how most
 * commands write a value and `yes\n` would never equal `yes`.
 *
 * @example
 * ```ts
 * parseParamText('decision', 'string', 'yes\n') // 'yes'
 * parseParamText('n', 'int', ' 42 ')            // 42
 * parseParamText('xs', 'list', '[1,2]')         // [1, 2]
 * ```
 */
export function parseParamText(name: string, type: ParamType, text: string): JsonValue {
  if (type === 'string')
    return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  const trimmed = text.trim();
  switch (type) {
    case 'int': {
      if (!/^[+-]?\d+$/.test(trimmed)) throw invalid(name, type, JSON.stringify(trimmed));
      return Number(trimmed);
    }
    case 'float': {
      const value = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(value)) throw invalid(name, type, JSON.stringify(trimmed));
      return value;
    }
    case 'bool': {
      const lower = trimmed.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      throw invalid(name, type, JSON.stringify(trimmed));
    }
    case 'list':
    case 'object': {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch {
        throw invalid(name, type, `not JSON: ${JSON.stringify(trimmed.slice(0, 80))}`);
      }
      return checkParamValue(name, type, value);
    }
  }
}

/**
 * Checks a JSON value against a parameter type (an int is a fine float).
 *
 * @example
 * ```ts
 * checkParamValue('accuracy', 'float', 1) // 1
 * checkParamValue('n', 'int', 1.5)        // throws LaunchError (user, InvalidOutputParam)
 * ```
 */
export function checkParamValue(name: string, type: ParamType, value: unknown): JsonValue {
  const ok =
    (type === 'string' && typeof value === 'string') ||
    (type === 'int' && typeof value === 'number' && Number.isInteger(value)) ||
    (type === 'float' && typeof value === 'number' && Number.isFinite(value)) ||
    (type === 'bool' && typeof value === 'boolean') ||
    (type === 'list' && Array.isArray(value)) ||
    (type === 'object' && value !== null && typeof value === 'object' && !Array.isArray(value));
  if (!ok) throw invalid(name, type, JSON.stringify(value)?.slice(0, 80) ?? String(value));
  return value as JsonValue;
}
