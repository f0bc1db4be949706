/**
 * Type-level plumbing: what a task accepts for each input definition, and
 * what references its outputs become. This is where miswiring turns into a
 * TypeScript error: `ArtifactRef<"model">` is not assignable to
 * `ArtifactRef<"dataset">`, `ParamRef<"string">` not to an int input.
 */
import type { ArtifactType } from '@kiln/ir';
import type { ArtifactDef, IoDefs, IsRequiredDef, ParamDef } from './io';
import type { ArtifactListRef, ArtifactRef, LooseRef, ParamRef } from './refs';

/** Flattens intersections so hovers and errors show one object type. */
export type Simplify<T> = { [K in keyof T]: T[K] };

type ParamAccepts<T, V> = T extends 'string'
  ? V | ParamRef<'string' | 'any', unknown>
  : T extends 'int'
    ? number | ParamRef<'int' | 'number' | 'any', unknown>
    : T extends 'float'
      ? number | ParamRef<'float' | 'int' | 'number' | 'any', unknown>
      : T extends 'bool'
        ? boolean | ParamRef<'bool' | 'any', unknown>
        : T extends 'list'
          ? V | ParamRef<'list' | 'any', unknown>
          : T extends 'object'
            ? V | ParamRef<'object' | 'any', unknown>
            : never;

type Wide<A extends ArtifactType> = A extends 'artifact' ? ArtifactType : A;

/** What a task may bind to an input defined by `D`: a literal or a reference of a fitting type. */
export type Accepts<D> =
  D extends ParamDef<infer T, infer V>
    ? ParamAccepts<T, V>
    : D extends ArtifactDef<infer A, infer L>
      ? (L extends true ? ArtifactListRef<Wide<A>> : ArtifactRef<Wide<A>>) | LooseRef
      : never;

type RequiredKeys<I> = { [K in keyof I]-?: IsRequiredDef<I[K]> extends false ? never : K }[keyof I];
type OptionalKeys<I> = Exclude<keyof I, RequiredKeys<I>>;

/** The inputs object a component call takes: required inputs must be present. */
export type TaskArgs<I extends IoDefs> = Simplify<
  { [K in RequiredKeys<I>]: Accepts<I[K]> } & { [K in OptionalKeys<I>]?: Accepts<I[K]> }
>;

/** The call signature's parameter list: the inputs object may be left out when nothing is required. */
export type TaskArgsParam<I extends IoDefs> = [RequiredKeys<I>] extends [never]
  ? [inputs?: TaskArgs<I>]
  : [inputs: TaskArgs<I>];

/** The reference an output defined by `D` becomes. */
export type RefOf<D> =
  D extends ParamDef<infer T, infer V>
    ? ParamRef<T, V>
    : D extends ArtifactDef<infer A, infer L>
      ? L extends true
        ? ArtifactListRef<A>
        : ArtifactRef<A>
      : never;

/** A task's `outputs`. */
export type OutputRefs<O extends IoDefs> = { readonly [K in keyof O]: RefOf<O[K]> };

/** The definition a reference stands for (pipeline outputs become component outputs). */
export type DefOf<R> =
  R extends ArtifactListRef<infer A>
    ? ArtifactDef<A, true, true>
    : R extends ArtifactRef<infer A>
      ? ArtifactDef<A, false, true>
      : R extends ParamRef<infer T, infer V>
        ? ParamDef<T extends 'number' ? 'float' : T extends 'any' ? 'string' : T, V, true>
        : never;

/** Parameters as references inside a pipeline body. */
export type ParamRefs<P extends IoDefs> = OutputRefs<P>;
