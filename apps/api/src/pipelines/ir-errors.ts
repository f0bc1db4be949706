/** IR validation failures as a 422 whose details carry each error's JSON path. */
import type { IrError } from '@kiln/ir';
import { ApiError } from '../errors';

/**
 * @example
 * ```ts
 * const result = validateSpec(body);
 * if (!result.ok) throw invalidPipeline(result.errors);
 * ```
 */
export function invalidPipeline(errors: readonly IrError[]): ApiError {
  const first = errors[0];
  const details = errors.map((e) => ({
    path: e.path,
    code: e.code,
    message: e.message,
    ...(e.line !== undefined ? { line: e.line, column: e.column } : {}),
  }));
  return new ApiError(
    422,
    'invalid-pipeline',
    `the pipeline IR is invalid (${errors.length} error${errors.length === 1 ? '' : 's'})${first ? `; first: ${first.path}: ${first.message}` : ''}`,
    details,
  );
}
