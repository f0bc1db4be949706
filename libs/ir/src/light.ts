/**
 * `@kiln/ir/light`: the parts of the IR with a small module graph, for a
 * program whose start is on every step's path (the in-pod launcher): the leaf
 * schemas a step's component is checked with ({@link stepComponentSchema}),
 * JSON paths for error messages and the listing digest. No pipeline, DAG or
 * validation code, and nothing that imports it.
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
export { digestListing } from './digest';
