/**
 * Input and output definitions: `param.*` and `artifact.*`. A definition is a
 * plain object that serializes to an IR `IoSpec`; the TypeScript type of its
 * value rides along as phantom fields (the zod model), so inference can read
 * back what a task accepts and produces.
 */
import type { ArtifactSpec, ArtifactType, ItemTypeSpec, JsonValue, ParamSpec, ParamType } from '@kiln/ir';

/** The TypeScript value of each parameter type. */
export interface ParamValues {
  string: string;
  int: number;
  float: number;
  bool: boolean;
  list: unknown[];
  object: Record<string, unknown>;
}

declare const valueBrand: unique symbol;
declare const requiredBrand: unique symbol;

/**
 * A parameter definition. `T` is the IR type, `V` the TypeScript value type,
 * `R` whether a task must bind it (no default and not optional).
 */
export interface ParamDef<T extends ParamType = ParamType, V = unknown, R extends boolean = boolean> {
  readonly kind: 'param';
  readonly type: T;
  readonly default?: JsonValue;
  readonly optional?: boolean;
  readonly enum?: readonly JsonValue[];
  readonly description?: string;
  /** For a list: its elements' type. */
  readonly items?: ItemTypeSpec;
  /** Phantom: the value type. */
  readonly [valueBrand]?: V;
  /** Phantom: whether a task must bind this input. */
  readonly [requiredBrand]?: R;
}

/** An artifact definition: `A` the artifact type, `L` whether it is a list (fan-in), `R` required. */
export interface ArtifactDef<
  A extends ArtifactType = ArtifactType,
  L extends boolean = boolean,
  R extends boolean = boolean,
> {
  readonly kind: 'artifact';
  readonly type: A;
  readonly list?: L;
  readonly optional?: boolean;
  readonly description?: string;
  readonly [requiredBrand]?: R;
}

export type IoDef = ParamDef | ArtifactDef;
export type IoDefs = Record<string, IoDef>;

interface CommonOptions {
  /** Shown in the UI and in `kiln` help. */
  description?: string;
  /** A task may leave it unbound (the component must cope with it missing, e.g. with `ifPresent`). */
  optional?: boolean;
}

/** Options of a parameter whose values have type `V`. */
export interface ParamOptions<V> extends CommonOptions {
  default?: V;
  /** The allowed values. */
  enum?: readonly V[];
}

type IsRequired<O> = O extends { default: unknown } ? false : O extends { optional: true } ? false : true;
type Widen<V> = V extends string ? string : V extends number ? number : V extends boolean ? boolean : V;
type EnumOr<O, V> = O extends { enum: readonly (infer E)[] } ? E : O extends { default: infer D } ? Widen<D> : V;
type Mutable<T> = T extends readonly (infer E)[]
  ? Mutable<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : Widen<T>;

function makeParam<D extends ParamDef>(
  type: D['type'],
  options: ParamOptions<unknown> | undefined,
  items?: ItemTypeSpec,
): D {
  const def: { -readonly [K in keyof ParamSpec]?: ParamSpec[K] } & { kind: 'param'; type: ParamType } = {
    kind: 'param',
    type,
  };
  if (items !== undefined) def.items = items;
  if (options?.default !== undefined) def.default = options.default as JsonValue;
  if (options?.optional) def.optional = true;
  if (options?.enum !== undefined) def.enum = [...(options.enum as JsonValue[])];
  if (options?.description !== undefined) def.description = options.description;
  return Object.freeze(def) as unknown as D;
}

type ListValue<O> = O extends { default: readonly unknown[] } ? Mutable<O['default']> : unknown[];

function listParam<const O extends ParamOptions<readonly unknown[]> = Record<never, never>>(
  options?: O,
): ParamDef<'list', ListValue<O>, IsRequired<O>>;
function listParam<V, const O extends ParamOptions<readonly V[]> = Record<never, never>>(
  of: ParamDef<ParamType, V>,
  options?: O,
): ParamDef<'list', V[], IsRequired<O>>;
function listParam(
  first?: ParamDef | ParamOptions<readonly unknown[]>,
  options?: ParamOptions<readonly unknown[]>,
): ParamDef {
  if (first !== undefined && (first as Partial<ParamDef>).kind === 'param') {
    const of = first as ParamDef;
    return makeParam('list', options, of.items === undefined ? { type: of.type } : { type: of.type, items: of.items });
  }
  return makeParam('list', first as ParamOptions<readonly unknown[]> | undefined);
}

/**
 * Parameter definitions, for component inputs/outputs and pipeline params.
 *
 * @example
 * ```ts
 * const inputs = {
 *   source: param.string({ default: 'sklearn:breast_cancer' }),
 *   trees: param.int({ default: 100, description: 'number of trees' }),
 *   mode: param.string({ enum: ['fast', 'full'], default: 'fast' }),
 *   tags: param.list({ default: ['a', 'b'] }),
 *   folds: param.list(param.object<{ lr: number; depth: number }>()),
 * };
 * ```
 */
export const param = {
  /** A string parameter. `enum` narrows the value type to the listed literals. */
  string<const O extends ParamOptions<string> = Record<never, never>>(
    options?: O,
  ): ParamDef<'string', EnumOr<O, string>, IsRequired<O>> {
    return makeParam('string', options);
  },
  /** An integer parameter (whole numbers; `2.5` is rejected). */
  int<const O extends ParamOptions<number> = Record<never, never>>(
    options?: O,
  ): ParamDef<'int', number, IsRequired<O>> {
    return makeParam('int', options);
  },
  /** A floating-point parameter. */
  float<const O extends ParamOptions<number> = Record<never, never>>(
    options?: O,
  ): ParamDef<'float', number, IsRequired<O>> {
    return makeParam('float', options);
  },
  /** A boolean parameter. */
  bool<const O extends ParamOptions<boolean> = Record<never, never>>(
    options?: O,
  ): ParamDef<'bool', boolean, IsRequired<O>> {
    return makeParam('bool', options);
  },
  /**
   * A JSON list. Give the element definition to type it (`param.list(param.string())`,
   * `param.list(param.object<{ lr: number }>())`): loops over it then type their item, and
   * the IR records the element type. Without one, the element type is inferred from
   * `default` (else `unknown`).
   */
  list: listParam,
  /**
   * A JSON object. Type it with a type argument (`param.object<{ lr: number }>()`), or
   * it is inferred from `default` (else a record of unknown).
   */
  object<
    V extends Record<string, unknown> = never,
    const O extends ParamOptions<Record<string, unknown>> = Record<never, never>,
  >(
    options?: O,
  ): ParamDef<
    'object',
    [V] extends [never]
      ? O extends { default: Record<string, unknown> }
        ? Mutable<O['default']>
        : Record<string, unknown>
      : V,
    IsRequired<O>
  > {
    return makeParam('object', options);
  },
};

type ArtifactOptionsRequired<O> = O extends { optional: true } ? false : true;

function makeArtifact<A extends ArtifactType>(
  type: A,
  options: CommonOptions | undefined,
  list = false,
): ArtifactDef<A> {
  const def: { -readonly [K in keyof ArtifactSpec]?: ArtifactSpec[K] } & { kind: 'artifact'; type: A } = {
    kind: 'artifact',
    type,
  };
  if (list) def.list = true;
  if (options?.optional) def.optional = true;
  if (options?.description !== undefined) def.description = options.description;
  return Object.freeze(def) as ArtifactDef<A>;
}

function artifactOf<A extends ArtifactType>(type: A) {
  return <const O extends CommonOptions = Record<never, never>>(
    options?: O,
  ): ArtifactDef<A, false, ArtifactOptionsRequired<O>> =>
    makeArtifact(type, options) as ArtifactDef<A, false, ArtifactOptionsRequired<O>>;
}

/**
 * Artifact definitions: files or folders in the artifact store with a URI and metadata.
 * Wiring an artifact of one type into an input of another (a model into a dataset
 * input) is a TypeScript error; an `artifact.artifact()` input accepts any type.
 *
 * @example
 * ```ts
 * const outputs = { model: artifact.model(), metrics: artifact.metrics(), report: artifact.html() };
 * const inputs = { models: artifact.list(artifact.model()) }; // fan-in of a parallelFor
 * ```
 */
export const artifact = {
  /** Any artifact (a generic file or folder). As an input it accepts every artifact type. */
  artifact: artifactOf('artifact'),
  /** Tabular or other training data. */
  dataset: artifactOf('dataset'),
  /** A trained model. */
  model: artifactOf('model'),
  /** Scalar metrics (`metrics.log_metric(name, value)` in Python components). */
  metrics: artifactOf('metrics'),
  /** Confusion matrix, ROC curve. */
  classificationMetrics: artifactOf('classificationMetrics'),
  /** An HTML page (a report, a plot). */
  html: artifactOf('html'),
  /** A Markdown document. */
  markdown: artifactOf('markdown'),
  /**
   * A list of artifacts of one type: the input side of a fan-in, bound to
   * `collected(task.outputs.x)` or a loop's returned output.
   */
  list<A extends ArtifactType, const O extends CommonOptions = Record<never, never>>(
    of: ArtifactDef<A, false>,
    options?: O,
  ): ArtifactDef<A, true, ArtifactOptionsRequired<O>> {
    return makeArtifact(
      of.type,
      { ...(of.description === undefined ? {} : { description: of.description }), ...options },
      true,
    ) as ArtifactDef<A, true, ArtifactOptionsRequired<O>>;
  },
};

/** The IR spec of a definition (drops phantom fields). */
export function toIoSpec(def: IoDef): ParamSpec | ArtifactSpec {
  if (def.kind === 'param') {
    const spec: ParamSpec = { kind: 'param', type: def.type };
    if (def.default !== undefined) spec.default = def.default;
    if (def.optional) spec.optional = true;
    if (def.enum !== undefined) spec.enum = [...def.enum];
    if (def.description !== undefined) spec.description = def.description;
    if (def.items !== undefined) spec.items = def.items;
    return spec;
  }
  const spec: ArtifactSpec = { kind: 'artifact', type: def.type };
  if (def.list) spec.list = true;
  if (def.optional) spec.optional = true;
  if (def.description !== undefined) spec.description = def.description;
  return spec;
}

/** Whether a task must bind this input. */
export function isRequired(def: IoDef): boolean {
  if (def.optional) return false;
  return !(def.kind === 'param' && def.default !== undefined);
}

/** Whether a definition must be bound by a task (`false` when it has a default or is optional). */
export type IsRequiredDef<D> =
  D extends ParamDef<ParamType, unknown, infer R>
    ? R
    : D extends ArtifactDef<ArtifactType, boolean, infer R>
      ? R
      : true;
