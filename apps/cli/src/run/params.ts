/**
 * `--param name=value`: values are typed by the pipeline's declaration, so
 * `--param epochs=3` is the int 3 and `--param tags='["a","b"]'` a list.
 * Type errors past parsing are the workflow's to report (it checks every run).
 */
import type { JsonValue, PipelineSpec } from '@kiln/ir';
import { CliError } from '../errors';

export function parseParams(spec: PipelineSpec, pairs: string[]): Record<string, JsonValue> {
  const params: Record<string, JsonValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--param expects name=value, got '${pair}'`);
    const name = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    const declared = spec.params[name];
    if (!declared) {
      throw new CliError(
        `pipeline '${spec.pipeline.name}' has no parameter '${name}' (it has: ${Object.keys(spec.params).join(', ') || 'none'})`,
      );
    }
    params[name] = declared.type === 'string' ? text : parseJson(name, declared.type, text);
  }
  return params;
}

function parseJson(name: string, type: string, text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new CliError(`--param ${name}: '${text}' is not a valid ${type} (write it as JSON)`);
  }
}
