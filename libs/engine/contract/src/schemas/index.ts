/**
 * `@kiln/engine-contract/schemas`: the zod schemas the contract's data types are
 * inferred from, for Node code that parses documents read back from the store or
 * the wire. A separate entry so the workflow bundle, which needs only the types,
 * never carries zod.
 *
 * @example
 * ```ts
 * import { runStatusDocumentSchema } from '@kiln/engine-contract/schemas';
 * const doc = runStatusDocumentSchema.parse(JSON.parse(text));
 * ```
 *
 * @packageDocumentation
 */
export * from './status';
export * from './step';
export * from './run-views';
export * from './schedule-views';
