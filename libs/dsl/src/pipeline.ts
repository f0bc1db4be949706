/**
 * `pipeline()`: runs the body once, at definition, recording the graph. The
 * result is compiled with `compile()` and is itself a component, so it can be
 * called inside another pipeline (a nested DAG).
 */
import type { IoSpec, PipelineSettings } from '@kiln/ir';
import { checkName, type Component, makeComponent } from './component';
import { type ComponentImpl, IMPL, type PipelineBody } from './component-impl';
import { type Duration, parseWholeSeconds } from './durations';
import { DslError } from './errors';
import { inScope, newPipelineCtx, type Source } from './graph';
import { type IoDefs, toIoSpec } from './io';
import { makeRef, Ref, SOURCE, TYPE } from './refs';
import { checkSource, type Dependable, specType } from './task';
import type { DefOf, ParamRefs } from './types';

/** Run-wide settings. */
export interface PipelineSettingsOptions {
  /** Executor used when the run does not choose one. */
  executor?: 'local' | 'kubernetes';
  /** How long finished pods are kept, e.g. `'1h'`. */
  podTtl?: Duration;
  /** The whole run's timeout, e.g. `'6h'`. */
  timeout?: Duration;
  /** Stop scheduling new tasks at the first failure. */
  failFast?: boolean;
  /** Default cap on concurrently running tasks. */
  parallelism?: number;
}

/** A pipeline's definition. */
export interface PipelineOptions<P extends IoDefs> {
  /** A DNS label: `training-pipeline`. */
  name: string;
  displayName?: string;
  description?: string;
  /** Run parameters (`param.*`). Artifact inputs are allowed only for pipelines used as sub-pipelines. */
  params?: P;
  settings?: PipelineSettingsOptions;
}

/** The output definitions of a pipeline whose body returns `R`. */
export type PipelineOutputDefs<R> =
  R extends Record<string, unknown> ? { [K in keyof R]: DefOf<R[K]> } : Record<never, never>;

/**
 * A pipeline: compile it with `compile()`, or call it inside another pipeline
 * body like any component.
 */
export type Pipeline<P extends IoDefs = IoDefs, O extends IoDefs = IoDefs> = Component<P, O> & {
  /** The pipeline's name. */
  readonly pipelineName: string;
  /** @internal */
  readonly [PIPELINE]: true;
};

/** @internal */
export const PIPELINE: unique symbol = Symbol.for('kiln.pipeline');

function settingsOf(name: string, s: PipelineSettingsOptions | undefined): PipelineSettings {
  const out: PipelineSettings = {};
  if (s === undefined) return out;
  const where = `pipeline '${name}' settings`;
  if (s.executor !== undefined) {
    if (s.executor !== 'local' && s.executor !== 'kubernetes')
      throw new DslError(`${where}: executor must be 'local' or 'kubernetes', got '${String(s.executor)}'`);
    out.executor = s.executor;
  }
  if (s.podTtl !== undefined) out.podTtlSeconds = parseWholeSeconds(s.podTtl, `${where} podTtl`, 0);
  if (s.timeout !== undefined) out.timeoutSeconds = parseWholeSeconds(s.timeout, `${where} timeout`);
  if (s.failFast !== undefined) out.failFast = s.failFast;
  if (s.parallelism !== undefined) {
    if (!Number.isInteger(s.parallelism) || s.parallelism < 1)
      throw new DslError(`${where}: parallelism must be a whole number >= 1`);
    out.parallelism = s.parallelism;
  }
  return out;
}

/**
 * Defines a pipeline. The body receives the parameters as typed references,
 * calls components to add tasks, and may return references as the pipeline's
 * outputs (used when the pipeline runs as a sub-pipeline).
 *
 * @example
 * ```ts
 * export const training = pipeline({
 *   name: 'training-pipeline',
 *   params: { dataUrl: param.string({ default: 'sklearn:breast_cancer' }), minAccuracy: param.float({ default: 0.85 }) },
 *   settings: { timeout: '2h', failFast: true },
 * }, (p) => {
 *   const load = loadData({ source: p.dataUrl });
 *   const train = trainModel({ dataset: load.outputs.dataset }).retry({ maxAttempts: 3 });
 *   when(train.outputs.accuracy.ge(p.minAccuracy), () => deploy({ model: train.outputs.model }));
 *   return { model: train.outputs.model };
 * });
 * ```
 */
export function pipeline<
  P extends IoDefs = Record<never, never>,
  R extends Record<string, Ref> | void | Dependable = void,
>(options: PipelineOptions<P>, body: (params: ParamRefs<P>) => R): Pipeline<P, PipelineOutputDefs<R>> {
  const name = checkName(options.name, 'pipeline');
  const params = (options.params ?? {}) as P;
  const paramSpecs: Record<string, IoSpec> = {};
  for (const [k, def] of Object.entries(params)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
      throw new DslError(`pipeline '${name}': parameter name '${k}' must be an identifier`);
    paramSpecs[k] = toIoSpec(def);
  }
  const settings = settingsOf(name, options.settings);
  const ctx = newPipelineCtx(name, params);
  const refs = Object.fromEntries(
    Object.entries(paramSpecs).map(([k, spec]) => [
      k,
      makeRef({ kind: 'param', pipeline: ctx, name: k }, specType(spec)),
    ]),
  ) as ParamRefs<P>;
  let result: R;
  try {
    result = inScope(ctx.root, () => body(refs));
  } catch (err) {
    if (err instanceof DslError && !err.message.startsWith('pipeline ')) {
      const wrapped = new DslError(`pipeline '${name}': ${err.message}`, {
        ...(err.task ? { task: err.task } : {}),
        ...(err.input ? { input: err.input } : {}),
        cause: err,
      });
      throw wrapped;
    }
    throw err;
  }
  const outputs: Record<string, { source: Source; spec: IoSpec }> = {};
  const outputSpecs: Record<string, IoSpec> = {};
  if (result !== undefined && !isDependable(result)) {
    if (result === null || typeof result !== 'object' || result instanceof Ref) {
      throw new DslError(
        `pipeline '${name}': the body may return nothing or an object of references ({ model: train.outputs.model })`,
      );
    }
    for (const [k, ref] of Object.entries(result)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
        throw new DslError(`pipeline '${name}': output name '${k}' must be an identifier`);
      if (!(ref instanceof Ref)) throw new DslError(`pipeline '${name}': returned '${k}' is not a reference`);
      const source = ref[SOURCE];
      checkSource(source, ctx.root, `pipeline '${name}' output '${k}'`);
      const t = ref[TYPE];
      if (t.kind === 'param' && t.type === 'any')
        throw new DslError(
          `pipeline '${name}' output '${k}': its type is unknown until run time; return a typed task output`,
        );
      const spec: IoSpec =
        t.kind === 'param'
          ? { kind: 'param', type: t.type as Exclude<typeof t.type, 'any'> }
          : { kind: 'artifact', type: t.type, ...(t.list ? { list: true } : {}) };
      outputs[k] = { source, spec };
      outputSpecs[k] = spec;
    }
  }
  const bodyRec: PipelineBody = {
    ctx,
    outputs,
    settings,
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.displayName === undefined ? {} : { displayName: options.displayName }),
  };
  const impl = { name, inputs: paramSpecs, outputs: outputSpecs, pipeline: bodyRec };
  const outDefs = Object.fromEntries(Object.entries(outputSpecs)) as unknown as PipelineOutputDefs<R>;
  const comp = makeComponent(impl, params, outDefs);
  Object.defineProperties(comp, { pipelineName: { value: name, enumerable: true }, [PIPELINE]: { value: true } });
  return comp as Pipeline<P, PipelineOutputDefs<R>>;
}

function isDependable(value: unknown): value is Dependable {
  return typeof value === 'object' && value !== null && 'node' in value && !(value instanceof Ref);
}

/** Any pipeline, whatever its parameters and outputs: what `compile()` takes. */
export interface AnyPipeline {
  readonly pipelineName: string;
  /** @internal */
  readonly [PIPELINE]: true;
  /** @internal */
  readonly [IMPL]: ComponentImpl;
}

/** Whether a value is a pipeline made by `pipeline()` (the CLI uses it to find exports). */
export function isPipeline(value: unknown): value is AnyPipeline {
  return typeof value === 'function' && (value as Partial<Record<typeof PIPELINE, boolean>>)[PIPELINE] === true;
}

/** @internal */
export function pipelineBody(p: AnyPipeline): PipelineBody {
  const body = p[IMPL].pipeline;
  if (body === undefined) throw new DslError('not a pipeline');
  return body;
}
