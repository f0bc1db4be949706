/**
 * Control flow, scoped like the code that writes it: `when` / `elseWhen` /
 * `otherwise`, `parallelFor` with `collected` fan-in, `oneOf` across branches,
 * and `exitHandler` with `finalStatus()`. Each pushes a scope, runs its body
 * (tasks created inside land in the group) and pops it.
 *
 * Groups can hand values out: a `when` chain's branches may return an object
 * of references (the same keys in every branch); `chain.outputs.x` is then
 * `oneOf` over the branches. A loop body may return references;
 * `loop.outputs.x` is the list of them across iterations (`collected`).
 */
import type { ArtifactType, FinalStatusValue, JsonValue } from '@kiln/ir';
import { DslError } from './errors';
import {
  allocateId,
  type CondRec,
  currentScope,
  enclosingLoops,
  encloses,
  scopeChain,
  type ExitRec,
  inScope,
  type LoopRec,
  newScope,
  type Scope,
  type Source,
} from './graph';
import {
  type AnyRef,
  ArtifactListRef,
  ArtifactRef,
  Condition,
  EXPR,
  itemRef,
  type ItemRef,
  makeRef,
  ParamRef,
  Ref,
  SOURCE,
  toJson,
  TYPE,
  type ValueKind,
} from './refs';
import { checkAfterNode, checkSource, type Dependable, Task } from './task';

/** References a group body may return. */
export type GroupOutputs = Record<string, AnyRef>;

function checkGroupName(name: string | undefined, fallback: string): string {
  if (name === undefined) return fallback;
  if (!/^[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?$/.test(name))
    throw new DslError(`group name '${name}' must be a DNS label`);
  return name;
}

function checkCondition(cond: Condition, scope: Scope, where: string): void {
  if (!(cond instanceof Condition))
    throw new DslError(`${where}: expected a condition, e.g. task.outputs.accuracy.ge(0.9)`);
  const visit = (e: Condition[typeof EXPR]): void => {
    if ('left' in e) {
      checkSource(e.left, scope, where);
      checkSource(e.right, scope, where);
    } else if ('args' in e) e.args.forEach(visit);
    else visit(e.arg);
  };
  visit(cond[EXPR]);
}

function returned(value: unknown, where: string): GroupOutputs | undefined {
  if (
    value === undefined ||
    value instanceof Task ||
    value instanceof WhenChain ||
    value instanceof Loop ||
    value instanceof ExitHandler
  )
    return undefined;
  if (value === null || typeof value !== 'object' || value instanceof Ref || Array.isArray(value)) {
    throw new DslError(
      `${where}: a body may return nothing or an object of references ({ model: train.outputs.model })`,
    );
  }
  for (const [k, v] of Object.entries(value))
    if (!(v instanceof Ref)) throw new DslError(`${where}: returned '${k}' is not a reference to a task output`);
  return value as GroupOutputs;
}

/** The outputs a `when` chain exposes: each key is `oneOf` over the branches. */
export type ChainOutputs<R> = R extends GroupOutputs ? { readonly [K in keyof R]: R[K] } : Record<string, never>;

/**
 * A `when` chain: add `elseWhen` branches and an `otherwise` branch; use it
 * with `.after()`; read `outputs` when the branches return references.
 */
export class WhenChain<R extends GroupOutputs | void | Dependable = void> implements Dependable {
  /** @internal */
  readonly node: CondRec;
  private readonly branchCount: number;
  private readonly results: (GroupOutputs | undefined)[];

  /** @internal */
  constructor(node: CondRec, results: (GroupOutputs | undefined)[]) {
    this.node = node;
    this.branchCount = node.branches.length;
    this.results = results;
  }

  private add(cond: Condition | undefined, body: () => unknown, what: string): (GroupOutputs | undefined)[] {
    const where = `condition '${this.node.id}' ${what}`;
    if (this.node.closed) throw new DslError(`${where}: the chain already ended with otherwise()`);
    if (this.node.branches.length !== this.branchCount)
      throw new DslError(
        `${where}: this chain already continues; call ${what} on the chain the previous call returned`,
      );
    const scope = currentScope(where);
    if (scope !== this.node.scope) throw new DslError(`${where}: call it in the same scope as when()`);
    if (cond !== undefined) checkCondition(cond, scope, where);
    const branch = newScope('branch', scope, this.node);
    this.node.branches.push(cond === undefined ? { scope: branch } : { when: cond[EXPR], scope: branch });
    if (cond === undefined) this.node.closed = true;
    const out = returned(inScope(branch, body), where);
    return [...this.results, out];
  }

  /**
   * Runs `body` when the earlier branches did not run and `cond` holds.
   * @example
   * ```ts
   * when(acc.ge(0.95), () => deploy({ model, stage: 'prod' })).elseWhen(acc.ge(0.8), () => deploy({ model, stage: 'staging' }));
   * ```
   */
  elseWhen(cond: Condition, body: () => R): WhenChain<R> {
    return new WhenChain<R>(this.node, this.add(cond, body, 'elseWhen()'));
  }

  /**
   * Runs `body` when no other branch ran. Ends the chain.
   * @example
   * ```ts
   * when(acc.ge(0.9), () => deploy({ model })).otherwise(() => alert({ message: 'accuracy too low' }));
   * ```
   */
  otherwise(body: () => R): WhenChain<R> {
    return new WhenChain<R>(this.node, this.add(undefined, body, 'otherwise()'));
  }

  /**
   * Values returned by the branches, each as `oneOf` over the branches (at
   * least two branches must return it).
   * @example
   * ```ts
   * const pick = when(p.big.eq(true), () => ({ model: bigTrain({}).outputs.model }))
   *   .otherwise(() => ({ model: smallTrain({}).outputs.model }));
   * evaluate({ model: pick.outputs.model });
   * ```
   */
  get outputs(): ChainOutputs<R> {
    const keys = new Set(this.results.flatMap((r) => Object.keys(r ?? {})));
    const out: Record<string, AnyRef> = {};
    for (const key of [...keys].sort()) {
      const refs = this.results.map((r) => r?.[key]).filter((r): r is AnyRef => r !== undefined);
      out[key] = oneOf(...(refs as [AnyRef, AnyRef]));
    }
    return out as ChainOutputs<R>;
  }
}

/**
 * Runs `body` only when `cond` holds. Chain `.elseWhen(cond, body)` and
 * `.otherwise(body)` for if / elif / else. Conditions combine with `and`,
 * `or`, `not`.
 *
 * @example
 * ```ts
 * when(and(ev.outputs.accuracy.ge(p.minAccuracy), not(p.dryRun.eq(true))), () => {
 *   deploy({ model: train.outputs.model, endpoint: p.deployEndpoint });
 * }).otherwise(() => {
 *   notify({ message: 'model not deployed' });
 * });
 * ```
 */
export function when<R extends GroupOutputs | void | Dependable = void>(
  cond: Condition,
  body: () => R,
  options: { name?: string } = {},
): WhenChain<R> {
  const scope = currentScope('when()');
  const id = allocateId(scope.pipeline, checkGroupName(options.name, 'condition'), options.name === undefined);
  checkCondition(cond, scope, `condition '${id}'`);
  const node: CondRec = { type: 'condition', id, scope, branches: [], closed: false, after: [] };
  scope.nodes.push(node);
  const branch = newScope('branch', scope, node);
  node.branches.push({ when: cond[EXPR], scope: branch });
  const out = returned(inScope(branch, body), `condition '${id}'`);
  return new WhenChain<R>(node, [out]);
}

/**
 * One output of whichever branch of a `when` chain ran. The sources must be
 * outputs of tasks in different branches of the same chain, of one type.
 *
 * @example
 * ```ts
 * let a!: Task<...>, b!: Task<...>;
 * when(p.fast.eq(true), () => { a = quickTrain({}); }).otherwise(() => { b = fullTrain({}); });
 * evaluate({ model: oneOf(a.outputs.model, b.outputs.model) });
 * ```
 */
export function oneOf<T extends AnyRef>(...sources: [T, T, ...T[]]): T {
  if (sources.length < 2) throw new DslError('oneOf() needs outputs from at least two branches of one when() chain');
  let condition: CondRec | undefined;
  const seen = new Set<number>();
  const resolved: { task: import('./graph').TaskRec; output: string }[] = [];
  for (const [i, ref] of sources.entries()) {
    if (!(ref instanceof Ref) || ref[SOURCE].kind !== 'output') {
      throw new DslError(`oneOf(): argument ${i + 1} must be a task output from a branch of a when() chain`);
    }
    const source = ref[SOURCE] as Extract<Source, { kind: 'output' }>;
    // The innermost condition group the task sits in a branch of.
    const branchScope = source.task.scope;
    const cond = branchScope.kind === 'branch' ? (branchScope.owner as CondRec) : undefined;
    if (cond === undefined)
      throw new DslError(`oneOf(): task '${source.task.id}' is not directly inside a when() branch`);
    condition ??= cond;
    if (cond !== condition) {
      throw new DslError(
        `oneOf(): task '${source.task.id}' is in condition '${cond.id}', the others in '${condition.id}'; all sources must come from one when() chain`,
      );
    }
    const index = cond.branches.findIndex((b) => b.scope === branchScope);
    if (seen.has(index))
      throw new DslError(
        `oneOf(): two sources come from branch ${index + 1} of condition '${cond.id}'; each must come from a different branch`,
      );
    seen.add(index);
    if (i > 0) {
      const a = (sources[0] as AnyRef)[TYPE];
      const b = ref[TYPE];
      if (
        a.kind !== b.kind ||
        a.type !== b.type ||
        (a.kind === 'artifact' && b.kind === 'artifact' && a.list !== b.list)
      ) {
        throw new DslError(`oneOf(): sources have different types (${a.type} and ${b.type}, task '${source.task.id}')`);
      }
    }
    resolved.push({ task: source.task, output: source.output });
  }
  const cond = condition as CondRec;
  return makeRef({ kind: 'oneOf', condition: cond, sources: resolved }, (sources[0] as AnyRef)[TYPE]) as T;
}

// ---------------------------------------------------------------------------------------------

/** The collected (list) form of a reference. */
export type Collected<R> =
  R extends ArtifactRef<infer A>
    ? ArtifactListRef<A>
    : R extends ParamRef<ValueKind, infer V>
      ? ParamRef<'list', V[]>
      : never;

/**
 * Fan-in: the list of a loop task's output across every iteration, in item
 * order. Use it after (outside) the loop. The task may sit in `when()` branches
 * inside the loop body: iterations where it was skipped are left out of the
 * list. Collecting a parameter from outside two nested loops gives a list of
 * lists (outer item order, then inner); artifacts are collected one level at a time.
 *
 * @example
 * ```ts
 * let t!: Task<...>;
 * parallelFor(p.folds, (fold) => { t = trainFold({ fold }); });
 * pickBest({ models: collected(t.outputs.model), scores: collected(t.outputs.score) });
 * ```
 */
export function collected<R extends ParamRef<ValueKind, unknown> | ArtifactRef>(ref: R): Collected<R> {
  if (!(ref instanceof Ref) || ref[SOURCE].kind !== 'output')
    throw new DslError('collected(): expected an output of a task inside a parallelFor');
  const source = ref[SOURCE] as Extract<Source, { kind: 'output' }>;
  const loops = enclosingLoops(source.task.scope);
  if (loops.length === 0) throw new DslError(`collected(): task '${source.task.id}' is not inside a parallelFor`);
  const scope = currentScope('collected()');
  const outer = loops.filter((l) => !encloses(l.body, scope));
  if (outer.length === 0)
    throw new DslError(`collected(): used inside the loop of task '${source.task.id}'; collect outside the loop`);
  // Collect over the outermost loop that does not enclose the consumer; inner loops add list levels.
  const loop = outer[outer.length - 1] as LoopRec;
  for (const s of scopeChain(source.task.scope)) {
    if (s === loop.body) break;
    if (s.kind !== 'branch' && s.kind !== 'loop') {
      throw new DslError(
        `collected(): task '${source.task.id}' is inside exit handler '${s.owner?.id ?? '?'}' within parallelFor '${loop.id}'; only tasks in the loop body, its when() branches and nested loops can be collected`,
      );
    }
  }
  if (ref[TYPE].kind === 'artifact' && outer.length > 1) {
    throw new DslError(
      `collected(): artifact output '${source.output}' of task '${source.task.id}' is ${outer.length} loops deep from here; artifacts are collected one loop level at a time (collect in the inner loop's parent and pass the list to a task)`,
    );
  }
  const t = ref[TYPE];
  const type =
    t.kind === 'artifact'
      ? { kind: 'artifact' as const, type: t.type, list: true }
      : { kind: 'param' as const, type: 'list' as const };
  if (t.kind === 'artifact' && t.list)
    throw new DslError(
      `collected(): output '${source.output}' of task '${source.task.id}' is already a list of artifacts`,
    );
  return makeRef({ kind: 'collected', loop, task: source.task, output: source.output }, type) as Collected<R>;
}

/** What `parallelFor` iterates over: a literal list, a list parameter/output, or a list of artifacts. */
export type LoopItems<V> = readonly V[] | ParamRef<'list', V[]> | ParamRef<'any', unknown> | ArtifactListRef;

type ItemOf<S> = S extends readonly (infer V)[] ? V : S extends ParamRef<'list', (infer V)[]> ? V : unknown;

/** The loop body's item: one artifact for a list of artifacts, else a (typed) parameter item. */
export type LoopItem<S> = S extends ArtifactListRef<infer A> ? ArtifactRef<A> : ItemRef<ItemOf<S>>;

/** A loop's returned values, collected. */
export type LoopOutputs<R> = R extends GroupOutputs
  ? { readonly [K in keyof R]: Collected<R[K]> }
  : Record<string, never>;

/** A `parallelFor` group: depend on it with `.after()`, read collected `outputs`. */
export class Loop<R extends GroupOutputs | void | Dependable = void> implements Dependable {
  /** @internal */
  readonly node: LoopRec;
  /** Each value the body returned, as a list across iterations (in item order). */
  readonly outputs: LoopOutputs<R>;
  /** @internal */
  constructor(node: LoopRec, outputs: LoopOutputs<R>) {
    this.node = node;
    this.outputs = outputs;
  }
}

/** Options of `parallelFor`. */
export interface LoopOptions {
  /** At most this many iterations run at once. */
  parallelism?: number;
  /** Group id prefix (default `for-loop`). */
  name?: string;
}

/**
 * Runs `body` once per item: over a literal list, a list parameter, an
 * upstream list output or a list of artifacts (a sub-pipeline's collected
 * output, or `collected(...)` of an earlier loop; `item` is then one artifact).
 * `item` is typed; for object items `item.field` references a field. Return
 * references from the body to collect them.
 *
 * @example
 * ```ts
 * const sweep = parallelFor([{ lr: 0.1, depth: 4 }, { lr: 0.01, depth: 8 }], (cfg) => {
 *   const t = train({ dataset, lr: cfg.lr, depth: cfg.depth });
 *   return { model: t.outputs.model, score: t.outputs.score };
 * }, { parallelism: 2 });
 * pickBest({ models: sweep.outputs.model, scores: sweep.outputs.score });
 * ```
 */
export function parallelFor<S extends LoopItems<unknown>, R extends GroupOutputs | void | Dependable = void>(
  items: S,
  body: (item: LoopItem<S>) => R,
  options: LoopOptions = {},
): Loop<R> {
  const scope = currentScope('parallelFor()');
  const id = allocateId(scope.pipeline, checkGroupName(options.name, 'for-loop'), options.name === undefined);
  const where = `parallelFor '${id}'`;
  let source: Source;
  let itemType: 'string' | 'int' | 'float' | 'bool' | 'list' | 'object' | 'any' = 'any';
  let artifactItem: ArtifactType | undefined;
  if (items instanceof Ref) {
    const t = items[TYPE];
    if (t.kind === 'artifact' && t.list) artifactItem = t.type;
    else if (t.kind !== 'param' || (t.type !== 'list' && t.type !== 'any'))
      throw new DslError(`${where}: items must be a list, got a ${t.kind === 'param' ? t.type : 'single artifact'}`);
    checkSource(items[SOURCE], scope, where);
    source = items[SOURCE];
  } else if (Array.isArray(items)) {
    const value = toJson(items, `${where} items`) as JsonValue[];
    source = { kind: 'constant', value };
    itemType = literalItemType(value);
  } else {
    throw new DslError(`${where}: items must be a literal array or a list parameter/output`);
  }
  if (options.parallelism !== undefined && (!Number.isInteger(options.parallelism) || options.parallelism < 1)) {
    throw new DslError(`${where}: parallelism must be a whole number >= 1, got ${options.parallelism}`);
  }
  const node: LoopRec = {
    type: 'loop',
    id,
    scope,
    items: source,
    body: undefined as unknown as Scope,
    after: [],
    ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }),
  };
  (node as { body: Scope }).body = newScope('loop', scope, node);
  scope.nodes.push(node);
  const item = (
    artifactItem === undefined
      ? itemRef(node, [], itemType)
      : new ArtifactRef({ kind: 'loopItem', loop: node, path: [] }, artifactItem)
  ) as LoopItem<S>;
  const out = returned(
    inScope(node.body, () => body(item)),
    where,
  );
  const outputs: Record<string, AnyRef> = {};
  for (const [k, ref] of Object.entries(out ?? {})) {
    const s = ref[SOURCE];
    if (s.kind !== 'output') throw new DslError(`${where}: returned '${k}' must be a task output from the loop body`);
    outputs[k] = inScope(scope, () => collected(ref as ParamRef));
  }
  return new Loop<R>(node, outputs as LoopOutputs<R>);
}

function literalItemType(items: JsonValue[]): 'string' | 'int' | 'float' | 'bool' | 'list' | 'object' | 'any' {
  const types = new Set(
    items.map((v) =>
      v === null
        ? 'any'
        : Array.isArray(v)
          ? 'list'
          : typeof v === 'number'
            ? Number.isInteger(v)
              ? 'int'
              : 'float'
            : typeof v === 'boolean'
              ? 'bool'
              : typeof v === 'string'
                ? 'string'
                : 'object',
    ),
  );
  if (types.size === 1) return [...types][0] as 'string';
  if (types.size === 2 && types.has('int') && types.has('float')) return 'float';
  return 'any';
}

// ---------------------------------------------------------------------------------------------

/** The final status of the group an exit handler guards. */
export type FinalStatus = FinalStatusValue;

/**
 * Inside an exit handler's exit task: the guarded group's final status
 * (`{ state, runId, pipelineName, failedTasks, error? }`), for a `param.object()` input.
 *
 * @example
 * ```ts
 * exitHandler(() => notify({ status: finalStatus() }), () => { train({}); });
 * ```
 */
export function finalStatus(): ParamRef<'object', FinalStatus> {
  return new ParamRef<'object', FinalStatus>({ kind: 'finalStatus' }, 'object');
}

/** An exit handler group. */
export class ExitHandler implements Dependable {
  /** @internal */
  readonly node: ExitRec;
  /** @internal */
  constructor(node: ExitRec) {
    this.node = node;
  }
}

/**
 * Runs `body`, then always runs the exit task(s) built by `exit`, whatever
 * happened in the body (success, failure, cancellation). The exit factory
 * receives the final status reference (the same as `finalStatus()`).
 *
 * @example
 * ```ts
 * exitHandler((status) => notify({ status, channel: '#ml' }), () => {
 *   const t = train({ dataset });
 *   evaluate({ model: t.outputs.model });
 * });
 * ```
 */
export function exitHandler(
  exit: (status: ParamRef<'object', FinalStatus>) => unknown,
  body: () => unknown,
  options: { name?: string } = {},
): ExitHandler {
  const scope = currentScope('exitHandler()');
  const id = allocateId(scope.pipeline, checkGroupName(options.name, 'exit-handler'), options.name === undefined);
  const node = { type: 'exitHandler', id, scope, after: [] } as unknown as ExitRec;
  (node as { body: Scope }).body = newScope('exitBody', scope, node);
  (node as { exit: Scope }).exit = newScope('exitExit', scope, node);
  scope.nodes.push(node);
  inScope(node.body, body);
  if (node.body.nodes.length === 0) throw new DslError(`exit handler '${id}': the body adds no tasks`);
  inScope(node.exit, () => exit(finalStatus()));
  if (node.exit.nodes.length === 0) throw new DslError(`exit handler '${id}': the exit factory adds no task`);
  return new ExitHandler(node);
}

/**
 * Makes a group (a `when` chain, a loop, an exit handler) or task run after others.
 * Tasks have `.after()` themselves; this is for groups. An upstream task inside
 * another group (a loop, a branch, an exit handler) makes this wait for that whole group.
 *
 * @example
 * ```ts
 * after(parallelFor(items, (i) => { work({ i }); }), setup);
 * ```
 */
export function after<D extends Dependable>(group: D, ...upstream: Dependable[]): D {
  for (const u of upstream) {
    if (u.node === group.node) throw new DslError(`${group.node.id}: a group cannot run after itself`);
    checkAfterNode(u.node, group.node, `after(${group.node.id})`);
    group.node.after.push(u.node);
  }
  return group;
}
