/**
 * References: future values flowing between tasks (KFP calls them channels).
 * A reference knows its source (a constant, a pipeline parameter, a task
 * output, a loop item, a fan-in...) and its type; the TypeScript type rides
 * along as a phantom brand so wiring a model into a dataset input, or a string
 * into an int, fails to compile.
 */
import type { ArtifactType, JsonValue, ParamType } from '@kiln/ir';
import { DslError } from './errors';
import type { CondExpr, LoopRec, Source } from './graph';

/** A parameter's type as the DSL tracks it: `number` is an int-or-float loop item, `any` is unknown until run time. */
export type ValueKind = ParamType | 'number' | 'any';

/** The runtime type of a reference (mirrors the IR's value types). */
export type RefType =
  | { readonly kind: 'param'; readonly type: ParamType | 'any' }
  | { readonly kind: 'artifact'; readonly type: ArtifactType; readonly list: boolean };

/** @internal */
export const SOURCE: unique symbol = Symbol.for('kiln.source');
/** @internal */
export const TYPE: unique symbol = Symbol.for('kiln.type');

declare const paramBrand: unique symbol;
declare const valueBrand: unique symbol;
declare const artifactBrand: unique symbol;
declare const artifactListBrand: unique symbol;
declare const looseBrand: unique symbol;

/** Base of every reference. */
export abstract class Ref {
  /** @internal */
  readonly [SOURCE]: Source;
  /** @internal */
  readonly [TYPE]: RefType;
  protected constructor(source: Source, type: RefType) {
    this[SOURCE] = source;
    this[TYPE] = type;
  }
}

/** What a comparison accepts on its right-hand side: a literal of the same value type or another parameter. */
export type Comparand<V> = V | ParamRef<ValueKind, unknown> | LooseRef;

/**
 * A parameter value: a pipeline parameter, a task's output parameter, a loop
 * item. Compare it to build `when` conditions.
 *
 * @example
 * ```ts
 * when(ev.outputs.accuracy.ge(p.minAccuracy), () => deploy({ model: train.outputs.model }));
 * ```
 */
export class ParamRef<T extends ValueKind = ValueKind, V = unknown> extends Ref {
  declare readonly [paramBrand]: T;
  declare readonly [valueBrand]: V;

  /** @internal */
  constructor(source: Source, type: ParamType | 'any') {
    super(source, { kind: 'param', type });
  }

  /** `this == value` */
  eq(value: Comparand<V>): Condition {
    return compare('eq', this, value);
  }
  /** `this != value` */
  ne(value: Comparand<V>): Condition {
    return compare('ne', this, value);
  }
  /** `this < value` */
  lt(value: Comparand<V>): Condition {
    return compare('lt', this, value);
  }
  /** `this <= value` */
  le(value: Comparand<V>): Condition {
    return compare('le', this, value);
  }
  /** `this > value` */
  gt(value: Comparand<V>): Condition {
    return compare('gt', this, value);
  }
  /** `this >= value` */
  ge(value: Comparand<V>): Condition {
    return compare('ge', this, value);
  }
  /** `this` is one of `values` (a literal list, or a list parameter). */
  in(values: readonly V[] | ParamRef<'list' | 'any', unknown>): Condition {
    return compare('in', this, values as Comparand<unknown>);
  }
}

/** A single artifact of type `A`: a task's output artifact, or a sub-pipeline's artifact input. */
export class ArtifactRef<A extends ArtifactType = ArtifactType> extends Ref {
  declare readonly [artifactBrand]: A;
  /** @internal */
  constructor(source: Source, type: A) {
    super(source, { kind: 'artifact', type, list: false });
  }
}

/** A list of artifacts of type `A`, in loop item order: the result of `collected()`. */
export class ArtifactListRef<A extends ArtifactType = ArtifactType> extends Ref {
  declare readonly [artifactListBrand]: A;
  /** @internal */
  constructor(source: Source, type: A) {
    super(source, { kind: 'artifact', type, list: true });
  }
}

/**
 * An output of a component loaded from IR/YAML: its type is known only at run
 * time of the pipeline body, so TypeScript lets it go anywhere and the DSL
 * checks it when it is bound.
 */
export class LooseRef extends ParamRef<'any', unknown> {
  declare readonly [looseBrand]: true;
  /** @internal */
  constructor(source: Source, type: RefType) {
    super(source, 'any');
    (this as { [TYPE]: RefType })[TYPE] = type;
  }
}

/** Any reference. */
export type AnyRef = ParamRef<ValueKind, unknown> | ArtifactRef | ArtifactListRef;

export function isRef(value: unknown): value is Ref {
  return value instanceof Ref;
}

export function makeRef(source: Source, type: RefType): AnyRef {
  if (type.kind === 'artifact')
    return type.list ? new ArtifactListRef(source, type.type) : new ArtifactRef(source, type.type);
  return new ParamRef(source, type.type);
}

// ---------------------------------------------------------------------------------------------
// Loop items

type KindOf<V> = unknown extends V
  ? 'any'
  : [V] extends [string]
    ? 'string'
    : [V] extends [number]
      ? 'number'
      : [V] extends [boolean]
        ? 'bool'
        : [V] extends [readonly unknown[]]
          ? 'list'
          : [V] extends [object]
            ? 'object'
            : 'any';

/**
 * The current item of a `parallelFor`. For object items, `item.field` is a
 * reference to that field (nested fields too).
 */
export type ItemRef<V> = ParamRef<KindOf<V>, V> &
  (unknown extends V
    ? unknown
    : [V] extends [readonly unknown[]]
      ? unknown
      : [V] extends [Record<string, unknown>]
        ? { readonly [K in keyof V]-?: ItemRef<V[K]> }
        : unknown);

const refMembers = new Set<PropertyKey>([
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'in',
  'constructor',
  'then',
  SOURCE,
  TYPE,
]);

/** A loop item reference; field access builds a reference with a longer path. */
export function itemRef(loop: LoopRec, path: readonly string[], type: ParamType | 'any'): ParamRef<ValueKind, unknown> {
  const ref = new ParamRef({ kind: 'loopItem', loop, path }, type);
  return new Proxy(ref, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || refMembers.has(prop) || prop in target)
        return Reflect.get(target, prop, receiver) as unknown;
      return itemRef(loop, [...path, prop], 'any');
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Conditions

/** @internal */
export const EXPR: unique symbol = Symbol.for('kiln.expr');

/** A condition for `when`: built with `ref.eq(...)` and friends, combined with `and`, `or`, `not`. */
export class Condition {
  /** @internal */
  readonly [EXPR]: CondExpr;
  /** @internal */
  constructor(expr: CondExpr) {
    this[EXPR] = expr;
  }
}

function operand(value: unknown, op: string): Source {
  if (value instanceof Ref) {
    const source = value[SOURCE];
    if (source.kind === 'collected' || source.kind === 'oneOf' || source.kind === 'finalStatus') {
      throw new DslError(
        `a ${source.kind === 'oneOf' ? 'oneOf(...)' : source.kind === 'collected' ? 'collected(...)' : 'finalStatus()'} value cannot be compared in a condition ('${op}'): pass it to a task and compare that task's output`,
      );
    }
    if (value[TYPE].kind === 'artifact')
      throw new DslError(
        `artifacts cannot be compared in a condition ('${op}'): compare a parameter, e.g. a metric the task returns`,
      );
    return source;
  }
  return { kind: 'constant', value: toJson(value, `condition '${op}'`) };
}

function compare(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'in', left: Ref, right: unknown): Condition {
  return new Condition({ op, left: operand(left, op), right: operand(right, op) });
}

function conditions(args: readonly Condition[], op: string): CondExpr[] {
  return args.map((c, i) => {
    if (!(c instanceof Condition))
      throw new DslError(`${op}(): argument ${i + 1} is not a condition (build one with ref.eq(...), .gt(...), ...)`);
    return c[EXPR];
  });
}

/**
 * All conditions hold.
 *
 * @example
 * ```ts
 * when(and(ev.outputs.accuracy.ge(0.9), p.env.eq('prod')), () => deploy({ model }));
 * ```
 */
export function and(...args: [Condition, Condition, ...Condition[]]): Condition {
  if (args.length < 2) throw new DslError('and() needs at least two conditions');
  return new Condition({ op: 'and', args: conditions(args, 'and') });
}

/**
 * At least one condition holds.
 *
 * @example
 * ```ts
 * when(or(p.force.eq(true), ev.outputs.accuracy.gt(0.95)), () => deploy({ model }));
 * ```
 */
export function or(...args: [Condition, Condition, ...Condition[]]): Condition {
  if (args.length < 2) throw new DslError('or() needs at least two conditions');
  return new Condition({ op: 'or', args: conditions(args, 'or') });
}

/**
 * The condition does not hold.
 *
 * @example
 * ```ts
 * when(not(p.dryRun.eq(true)), () => deploy({ model }));
 * ```
 */
export function not(arg: Condition): Condition {
  const [expr] = conditions([arg], 'not');
  return new Condition({ op: 'not', arg: expr as CondExpr });
}

// ---------------------------------------------------------------------------------------------

/** Checks that a literal is JSON (no functions, undefined, NaN, class instances) and returns it. */
export function toJson(value: unknown, where: string): JsonValue {
  const check = (v: unknown, path: string): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new DslError(`${where}: ${path} is ${v}, which JSON cannot hold`);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => check(item, `${path}[${i}]`));
      return;
    }
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, item] of Object.entries(v)) {
        if (item === undefined) continue;
        check(item, `${path}.${k}`);
      }
      return;
    }
    if (v instanceof Ref)
      throw new DslError(
        `${where}: ${path} is a reference inside a literal; a reference must be bound on its own, not nested in a list or object`,
      );
    throw new DslError(
      `${where}: ${path} is ${typeof v === 'object' ? 'an object of class ' + (v as object).constructor?.name : `a ${typeof v}`}, not a JSON value`,
    );
  };
  check(value, 'value');
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
