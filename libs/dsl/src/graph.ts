/**
 * The graph a pipeline body records while it runs: scopes (the pipeline, a
 * condition branch, a loop body, an exit handler's body and exit) holding
 * nodes in creation order. A stack of scopes tracks where the next task goes:
 * `when`, `parallelFor` and `exitHandler` push a scope, run their body, pop it.
 * Nothing here is exported from the package.
 */
import type { JsonValue, TaskSettings } from '@kiln/ir';
import { DslError } from './errors';
import type { ComponentImpl } from './component-impl';
import type { IoDefs } from './io';

export type ScopeKind = 'pipeline' | 'branch' | 'loop' | 'exitBody' | 'exitExit';

export interface Scope {
  readonly kind: ScopeKind;
  readonly pipeline: PipelineCtx;
  readonly parent?: Scope;
  /** The group node this scope belongs to (absent for the pipeline scope). */
  readonly owner?: GroupRec;
  readonly nodes: NodeRec[];
}

export interface PipelineCtx {
  readonly name: string;
  readonly params: IoDefs;
  readonly root: Scope;
  readonly ids: Set<string>;
  readonly counters: Map<string, number>;
}

export interface TaskRec {
  readonly type: 'task';
  readonly id: string;
  readonly scope: Scope;
  readonly component: ComponentImpl;
  readonly inputs: Record<string, Source>;
  readonly after: NodeRec[];
  settings: TaskSettings;
}

export interface CondRec {
  readonly type: 'condition';
  readonly id: string;
  readonly scope: Scope;
  readonly branches: { when?: CondExpr; scope: Scope }[];
  closed: boolean;
  readonly after: NodeRec[];
}

export interface LoopRec {
  readonly type: 'loop';
  readonly id: string;
  readonly scope: Scope;
  readonly items: Source;
  readonly parallelism?: number;
  readonly body: Scope;
  readonly after: NodeRec[];
}

export interface ExitRec {
  readonly type: 'exitHandler';
  readonly id: string;
  readonly scope: Scope;
  readonly body: Scope;
  readonly exit: Scope;
  readonly after: NodeRec[];
}

export type GroupRec = CondRec | LoopRec | ExitRec;
export type NodeRec = TaskRec | GroupRec;

/** Where a value comes from, before ids and scopes are resolved to IR bindings. */
export type Source =
  | { readonly kind: 'constant'; readonly value: JsonValue }
  | { readonly kind: 'param'; readonly pipeline: PipelineCtx; readonly name: string }
  | { readonly kind: 'output'; readonly task: TaskRec; readonly output: string }
  | { readonly kind: 'loopItem'; readonly loop: LoopRec; readonly path: readonly string[] }
  | { readonly kind: 'collected'; readonly loop: LoopRec; readonly task: TaskRec; readonly output: string }
  | {
      readonly kind: 'oneOf';
      readonly condition: CondRec;
      readonly sources: readonly { task: TaskRec; output: string }[];
    }
  | { readonly kind: 'finalStatus' };

/** A condition before resolution. */
export type CondExpr =
  | { readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'in'; readonly left: Source; readonly right: Source }
  | { readonly op: 'and' | 'or'; readonly args: readonly CondExpr[] }
  | { readonly op: 'not'; readonly arg: CondExpr };

// ---------------------------------------------------------------------------------------------

const stack: Scope[] = [];

/** The scope the next task goes into, or a DslError naming what was attempted. */
export function currentScope(what: string): Scope {
  const scope = stack[stack.length - 1];
  if (scope === undefined) {
    throw new DslError(`${what} must be called inside a pipeline body: pipeline({ name, params }, (p) => { ... })`);
  }
  return scope;
}

export function peekScope(): Scope | undefined {
  return stack[stack.length - 1];
}

/** Runs `body` with `scope` as the current scope. */
export function inScope<R>(scope: Scope, body: () => R): R {
  stack.push(scope);
  try {
    return body();
  } finally {
    stack.pop();
  }
}

export function newScope(kind: ScopeKind, parent: Scope, owner: GroupRec): Scope {
  return { kind, pipeline: parent.pipeline, parent, owner, nodes: [] };
}

export function newPipelineCtx(name: string, params: IoDefs): PipelineCtx {
  const ctx = { name, params, ids: new Set<string>(), counters: new Map<string, number>() } as Omit<
    PipelineCtx,
    'root'
  > & {
    root?: Scope;
  };
  const root: Scope = { kind: 'pipeline', pipeline: ctx as PipelineCtx, nodes: [] };
  ctx.root = root;
  return ctx as PipelineCtx;
}

/**
 * A fresh node id in the pipeline: tasks take their component's name, then
 * `name-2`, `name-3`...; groups are always numbered (`condition-1`).
 */
export function allocateId(ctx: PipelineCtx, base: string, alwaysNumber: boolean): string {
  let n = ctx.counters.get(base) ?? 0;
  for (;;) {
    n += 1;
    const suffix = n === 1 && !alwaysNumber ? '' : `-${n}`;
    const id = `${base.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!ctx.ids.has(id)) {
      ctx.counters.set(base, n);
      ctx.ids.add(id);
      return id;
    }
  }
}

/** Scopes from `scope` up to the pipeline scope. */
export function scopeChain(scope: Scope): Scope[] {
  const chain: Scope[] = [];
  for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) chain.push(s);
  return chain;
}

export function encloses(outer: Scope, inner: Scope): boolean {
  for (let s: Scope | undefined = inner; s !== undefined; s = s.parent) if (s === outer) return true;
  return false;
}

/** The loops whose bodies contain `scope`, innermost first. */
export function enclosingLoops(scope: Scope): LoopRec[] {
  return scopeChain(scope)
    .filter((s) => s.kind === 'loop')
    .map((s) => s.owner as LoopRec);
}

/** How a node is named in messages. */
export function describeNode(node: NodeRec): string {
  return node.type === 'task'
    ? `task '${node.id}'`
    : `${node.type === 'exitHandler' ? 'exit handler' : node.type} '${node.id}'`;
}
