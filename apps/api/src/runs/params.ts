/**
 * Run parameters checked against the pipeline's declarations before a run is
 * started, so a typo is a 422 naming the parameter rather than a failed run.
 * The check itself is the IR's (`checkParamValues`), shared with the client
 * and the interpreter (which checks again in the workflow).
 */
import { checkParamValues, describeParamProblems, type JsonValue, type ParamProblem, type ParamSpec } from '@kiln/ir';
import { ApiError } from '../errors';

/**
 * Every problem with `given`: unknown names, missing required values, wrong types, values outside an enum.
 *
 * @example
 * ```ts
 * checkParams({ n: { kind: 'param', type: 'int' } }, { n: 'x' });
 * // [{ param: 'n', message: 'must be int, got "x"' }]
 * ```
 */
export function checkParams(declared: Record<string, ParamSpec>, given: Record<string, JsonValue>): ParamProblem[] {
  return checkParamValues(declared, given).problems;
}

/** A 422 naming every bad parameter. */
export function invalidParams(pipeline: string, problems: ParamProblem[]): ApiError {
  return new ApiError(422, 'invalid-params', describeParamProblems(pipeline, problems), problems);
}
