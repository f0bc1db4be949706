/**
 * Checks run parameters against the pipeline's declarations before anything runs,
 * so a typo fails the run at once instead of deep inside a step. The check is
 * libs/ir's `checkParamValues`, the one the API and the client run too.
 */
import type { JsonValue, ParamSpec } from '@kiln/ir';
// The narrow entry (no zod, no YAML): the workflow bundler maps it, see kilnWorkflowBundle.
import { checkParamValues, DEFAULT_INPUT_LIMITS, valueDepthProblem } from '@kiln/ir/params';

export { sameJson } from '@kiln/ir/params';

export interface ParamCheck {
  /** Declared params with defaults applied; optional params without a value are absent. */
  values: Record<string, JsonValue>;
  /** One line per problem: `parameter "<name>": <what is wrong>`. */
  errors: string[];
}

/**
 * Like `checkParamValues`, except that a `null` takes the parameter's default, as it always did
 * here: runs started on plain Temporal with `null` for a defaulted parameter must still replay.
 *
 * @example
 * ```ts
 * checkParams({ n: { kind: 'param', type: 'int', default: 3 } }, { n: null }); // { values: { n: 3 }, errors: [] }
 * ```
 */
export function checkParams(declared: Record<string, ParamSpec>, given: Record<string, JsonValue>): ParamCheck {
  const present = Object.fromEntries(
    Object.entries(given).filter(([name, value]) => value !== null || !Object.hasOwn(declared, name)),
  );
  const { values, problems } = checkParamValues(declared, present);
  return { values, errors: problems.map((p) => `parameter "${p.param}": ${p.message}`) };
}

/**
 * The patch behind the depth check: runs started before it (on plain Temporal,
 * with parameters deeper than the limit but not deep enough to overflow) replay
 * as they ran; new runs with such parameters fail at once as invalid parameters
 * instead of overflowing the stack in a workflow task that Temporal retries forever.
 */
export const PARAM_DEPTH_PATCH = 'kiln-param-depth-limit';

/**
 * A sentence naming where `given` nests deeper than the input limit
 * (`DEFAULT_INPUT_LIMITS.maxDepth`, what the API also refuses), or undefined.
 * Walks with an explicit stack, so any depth is measured safely.
 *
 * @example
 * ```ts
 * paramsTooDeep({ n: 1 }); // undefined
 * ```
 */
export function paramsTooDeep(given: Record<string, JsonValue>): string | undefined {
  return valueDepthProblem(given, DEFAULT_INPUT_LIMITS.maxDepth, '$.params')?.message;
}
