/**
 * `@kiln/ir/light`: the parts of the IR with a small module graph, for a
 * program whose start is on every step's path (the in-pod launcher): the leaf
 * schemas a step's component is checked with ({@link stepComponentSchema})
 * and JSON paths for error messages. No pipeline, DAG or validation code, and
 * nothing that imports it; pure like `@kiln/ir` (no Node built-ins), so the
 * store layout can use it. The listing digest, which needs node:crypto, is
 * `@kiln/ir/digest`.
 *
 * @example
 * ```ts
 * import { stepComponentSchema, jsonPath } from '@kiln/ir/light';
 * const parsed = stepComponentSchema.safeParse(value);
 * if (!parsed.success) console.log(jsonPath(parsed.error.issues[0].path as (string | number)[]));
 * ```
 */
export * from './component-schema';
export { jsonPath, type PathSegment } from './json-path';
