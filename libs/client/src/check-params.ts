/**
 * Run parameters checked against the IR before a run starts straight on
 * Temporal, so a typo is an error naming the parameter, not a failed run. The
 * check is the IR's own (`checkParamValues`), the one the API answers its 422
 * with and the workflow runs again.
 */
import { checkParamValues, describeParamProblems, type JsonValue, type ParamSpec } from '@kiln/ir';
import { KilnApiError } from './errors';

/** @throws KilnApiError 422 `invalid-params`, `details` listing `{ param, message }` for each problem. */
export function checkRunParams(
  pipeline: string,
  declared: Record<string, ParamSpec>,
  given: Record<string, JsonValue>,
): void {
  const { problems } = checkParamValues(declared, given);
  if (problems.length > 0)
    throw new KilnApiError(422, 'invalid-params', describeParamProblems(pipeline, problems), { details: problems });
}
