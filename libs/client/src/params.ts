/**
 * What a run can be started from, and the parameters each source takes. A
 * pipeline defined with `@kiln/dsl` carries its parameter types (phantom fields
 * on its `param.*` definitions), so its run parameters are checked at compile
 * time; IR and stored pipelines take loosely typed JSON parameters, checked by
 * the server (the API answers 422, the workflow fails with `KilnInvalidParams`).
 */
import type { PipelineRef } from '@kiln/api-contract';
import type { AnyPipeline, ParamDef, Pipeline, Simplify } from '@kiln/dsl';
import type { JsonValue, ParamType, PipelineSpec } from '@kiln/ir';

/** A pipeline version uploaded before (`pipelines.upload`): the latest one unless a version or digest is given. */
export type StoredPipelineRef = PipelineRef;

declare const paramsBrand: unique symbol;

/**
 * A stored pipeline version that keeps the parameter types of the pipeline it
 * was uploaded from. Make one with {@link storedPipeline}.
 */
export interface TypedStoredPipelineRef<P> extends StoredPipelineRef {
  /** Phantom: the run parameters. */
  readonly [paramsBrand]?: P;
}

/** Anything a run or schedule can be started from. */
export type PipelineSource = AnyPipeline | PipelineSpec | StoredPipelineRef;

type ParamKeys<P> = { [K in keyof P]-?: P[K] extends ParamDef ? K : never }[keyof P];
type RequiredParamKeys<P> = {
  [K in ParamKeys<P>]-?: P[K] extends ParamDef<ParamType, unknown, infer R> ? (R extends false ? never : K) : never;
}[ParamKeys<P>];
type ValueOf<D> = D extends ParamDef<ParamType, infer V> ? V : never;

/**
 * The run parameters of a pipeline whose parameter definitions are `P`:
 * parameters without a default (and not `optional`) are required.
 *
 * @example
 * ```ts
 * type T = ParamsOfDefs<{ minAccuracy: ParamDef<'float', number, false>; dataUrl: ParamDef<'string', string, true> }>;
 * // { dataUrl: string; minAccuracy?: number }
 * ```
 */
export type ParamsOfDefs<P> = Simplify<
  { [K in RequiredParamKeys<P>]: ValueOf<P[K]> } & {
    [K in Exclude<ParamKeys<P>, RequiredParamKeys<P>>]?: ValueOf<P[K]>;
  }
>;

/**
 * The run parameters `source` takes: typed for a DSL pipeline (or a
 * {@link TypedStoredPipelineRef}), a JSON object otherwise.
 */
export type RunParams<S> =
  S extends Pipeline<infer P, infer _O>
    ? ParamsOfDefs<P>
    : S extends TypedStoredPipelineRef<infer P>
      ? unknown extends P
        ? Record<string, JsonValue> // a plain { name, version? }: nothing to infer from
        : P
      : Record<string, JsonValue>;

/** Whether `S` has a required parameter (then `params` must be given). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "may be empty" is exactly the question
type HasRequired<S> = {} extends RunParams<S> ? false : true;

/**
 * The `(params, options)` tail of `runs.start`: `params` may be left out when
 * every parameter has a default.
 */
export type StartArgs<S, O> =
  HasRequired<S> extends true ? [params: RunParams<S>, options?: O] : [params?: RunParams<S>, options?: O];

/** The `params` field of an options object, required when the pipeline has a required parameter. */
export type ParamsField<S> = HasRequired<S> extends true ? { params: RunParams<S> } : { params?: RunParams<S> };

/**
 * A stored version of `pipeline` (uploaded with `pipelines.upload`), with its
 * parameter types: run the server's copy, typed like the source.
 *
 * @example
 * ```ts
 * await client.pipelines.upload(training, { version: '3' });
 * await client.runs.start(storedPipeline(training, { version: '3' }), { minAccuracy: 0.9 });
 * ```
 */
export function storedPipeline<P extends AnyPipeline>(
  pipeline: P,
  ref: { version?: string; digest?: string } = {},
): TypedStoredPipelineRef<RunParams<P>> {
  return { name: pipeline.pipelineName, ...ref };
}
