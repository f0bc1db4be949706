/**
 * Where bindings find their values while a DAG runs: parameters, loop items,
 * outputs of tasks that ran, loop fan-ins and which condition branch ran.
 * A loop iteration opens a child scope; condition branches and exit-handler
 * bodies share their parent's, so `oneOf` and downstream tasks see their outputs.
 * A sub-pipeline opens an isolated scope whose parameters are its inputs, and
 * whose tasks are known to the run by their path (see `Scope.taskPath`).
 */
import type { Binding, FinalStatusValue, JsonValue } from '@kiln/ir';
import type { TaskOutputs } from '@kiln/engine-contract';
import { collectKey, NO_COLLECT_PATHS, pathsOfDag, type CollectPaths, type DagCollectPaths } from './collect-paths';
import { artifact, isArtifactShaped, param, tagAll, untagAll, type Value, type ValueKind } from './value';

export type { Value } from './value';

/** What one loop iteration (or one DAG run) leaves behind for fan-in: compact and serializable. */
export interface ScopeResult {
  outputs: Record<string, TaskOutputs>;
  loops: Record<string, (ScopeResult | null)[]>;
}

/**
 * A scope flattened for a child workflow (loop batches). Its parameters come in
 * one of two forms: `values`, tagged (since `TAGGED_VALUES_PATCH`), or `params`,
 * untagged, from parents started before it; children accept both.
 */
export interface ScopeSnapshot {
  /** The scope's parameters, untagged: snapshots of runs started before `TAGGED_VALUES_PATCH`. */
  params?: Record<string, JsonValue>;
  /** The scope's parameters, tagged. */
  values?: Record<string, Value>;
  loopItems: Record<string, JsonValue>;
  iteration: number[];
  loopSizes: number[];
  /** `Scope.taskPrefix`; absent in snapshots of runs started before sub-pipeline paths. */
  taskPrefix?: string;
  /** `Scope.component`; absent at the root DAG. */
  component?: string;
  /**
   * The paths of the DAG's `collected` bindings (`Scope.dagCollectPaths`): a loop batch
   * child's spec lacks the loops outside its own. Absent in snapshots of runs started
   * before `COLLECT_PATHS_PATCH`, whose children keep looking paths up the old way.
   */
  collectPaths?: Record<string, readonly string[]>;
  outputs: Record<string, TaskOutputs>;
  loops: Record<string, (ScopeResult | null)[]>;
  branches: Record<string, number>;
}

export type Resolution = { ok: true; value: Value } | { ok: false; reason: string };

export class Scope {
  readonly outputs = new Map<string, TaskOutputs>();
  readonly loops = new Map<string, (ScopeResult | null)[]>();
  /** Condition id → index of the branch that ran. */
  readonly branches = new Map<string, number>();
  finalStatus?: FinalStatusValue;

  constructor(
    readonly parent: Scope | undefined,
    readonly params: Record<string, Value>,
    readonly loopItems: Record<string, JsonValue>,
    /** Loop indices from the outermost loop inward. */
    readonly iteration: number[],
    /** Item counts of the enclosing loops, for "[3/10]" summaries. */
    readonly loopSizes: number[],
    /** Of every DAG owner of the spec, for the sub-pipelines this DAG runs. */
    readonly collectPaths: CollectPaths = NO_COLLECT_PATHS,
    /**
     * The sub-pipeline tasks this scope's DAG runs inside, each followed by "/"
     * (`train/tune/` for a sub-pipeline in a sub-pipeline); "" at the root.
     */
    readonly taskPrefix = '',
    /**
     * The sub-pipeline component whose DAG this scope runs (its key in `spec.components`);
     * undefined for the pipeline's root DAG. Loop and task ids are unique only within one.
     */
    readonly component?: string,
    /** The paths of this DAG's own `collected` bindings. */
    readonly dagCollectPaths: DagCollectPaths = pathsOfDag(collectPaths, component),
  ) {}

  /** The root DAG's scope: the run's (validated) pipeline parameters, all of them parameter values. */
  static root(params: Record<string, JsonValue>, collectPaths?: CollectPaths): Scope {
    return new Scope(undefined, tagAll(params), {}, [], [], collectPaths);
  }

  /**
   * The scope a loop batch child runs its slice in. `collectPaths` come from its slim
   * spec, which lacks the loops outside its own: the snapshot's paths serve its DAG.
   * Untagged parameters (from a parent started before `TAGGED_VALUES_PATCH`) are
   * tagged with the kinds `kindOf` gives their names: the inputs the scope's
   * sub-pipeline component declares; the root DAG's parameters are all parameter values.
   */
  static fromSnapshot(
    s: ScopeSnapshot,
    collectPaths: CollectPaths = NO_COLLECT_PATHS,
    kindOf?: (name: string) => ValueKind,
  ): Scope {
    const dagPaths = s.collectPaths ? new Map(Object.entries(s.collectPaths)) : undefined;
    const scope = new Scope(
      undefined,
      s.values ?? tagAll(s.params ?? {}, kindOf),
      s.loopItems,
      s.iteration,
      s.loopSizes,
      collectPaths,
      s.taskPrefix ?? '',
      s.component,
      dagPaths,
    );
    for (const [id, out] of Object.entries(s.outputs)) scope.outputs.set(id, out);
    for (const [id, results] of Object.entries(s.loops)) scope.loops.set(id, results);
    for (const [id, index] of Object.entries(s.branches)) scope.branches.set(id, index);
    return scope;
  }

  /**
   * The run-wide id of a task of this scope's DAG: its id behind the path of the
   * sub-pipeline tasks it runs in, e.g. `inner-pipeline/print-op1`. Ids are unique
   * only within one DAG's id space (a sub-pipeline component has its own), so the
   * status document, execution keys, artifact URIs and child workflow ids use this.
   * Together with the iteration it names one task instance.
   */
  taskPath(id: string): string {
    return `${this.taskPrefix}${id}`;
  }

  /** A loop iteration's scope. */
  iterationScope(loopId: string, index: number, size: number, item: JsonValue): Scope {
    return new Scope(
      this,
      this.params,
      { ...this.loopItems, [loopId]: item },
      [...this.iteration, index],
      [...this.loopSizes, size],
      this.collectPaths,
      this.taskPrefix,
      this.component,
      this.dagCollectPaths,
    );
  }

  /**
   * The isolated scope of a sub-pipeline's DAG, the one of `component` (its key in
   * `spec.components`): its inputs as parameters, the loop position kept.
   */
  subPipelineScope(params: Record<string, Value>, taskPrefix: string, component: string): Scope {
    return new Scope(undefined, params, {}, this.iteration, this.loopSizes, this.collectPaths, taskPrefix, component);
  }

  /** Same visibility, plus the exit handler's final status. */
  exitScope(finalStatus: FinalStatusValue): Scope {
    const scope = new Scope(
      this,
      this.params,
      this.loopItems,
      this.iteration,
      this.loopSizes,
      this.collectPaths,
      this.taskPrefix,
      this.component,
      this.dagCollectPaths,
    );
    scope.finalStatus = finalStatus;
    return scope;
  }

  findOutputs(task: string): TaskOutputs | undefined {
    return this.outputs.get(task) ?? this.parent?.findOutputs(task);
  }

  findLoop(loop: string): (ScopeResult | null)[] | undefined {
    return this.loops.get(loop) ?? this.parent?.findLoop(loop);
  }

  findFinalStatus(): FinalStatusValue | undefined {
    return this.finalStatus ?? this.parent?.findFinalStatus();
  }

  /**
   * Everything visible from here, flattened (inner entries win); parameters tagged,
   * or untagged for a run started before `TAGGED_VALUES_PATCH` (`tagged: false`).
   */
  snapshot(tagged = true): ScopeSnapshot {
    const chain: Scope[] = [];
    for (let s: Scope | undefined = this.parent; s; s = s.parent) chain.unshift(s);
    chain.push(this);
    const snap: ScopeSnapshot = {
      ...(tagged ? { values: this.params } : { params: untagAll(this.params) }),
      loopItems: this.loopItems,
      iteration: this.iteration,
      loopSizes: this.loopSizes,
      ...(this.taskPrefix ? { taskPrefix: this.taskPrefix } : {}),
      ...(this.component !== undefined ? { component: this.component } : {}),
      ...(this.collectPaths.perOwner ? { collectPaths: Object.fromEntries(this.dagCollectPaths) } : {}),
      outputs: {},
      loops: {},
      branches: {},
    };
    for (const s of chain) {
      for (const [id, out] of s.outputs) snap.outputs[id] = out;
      for (const [id, results] of s.loops) snap.loops[id] = results;
      for (const [id, index] of s.branches) snap.branches[id] = index;
    }
    return snap;
  }

  /** This scope's own results, for the enclosing loop's fan-in. */
  result(keepTasks?: ReadonlySet<string>): ScopeResult {
    const outputs: Record<string, TaskOutputs> = {};
    for (const [id, out] of this.outputs) if (!keepTasks || keepTasks.has(id)) outputs[id] = out;
    const loops: Record<string, (ScopeResult | null)[]> = {};
    for (const [id, results] of this.loops) loops[id] = results;
    return { outputs, loops };
  }

  resolve(binding: Binding): Resolution {
    switch (binding.kind) {
      case 'constant':
        return { ok: true, value: param(binding.value) };
      case 'param': {
        const value = this.params[binding.name];
        return value === undefined
          ? { ok: false, reason: `parameter "${binding.name}" has no value` }
          : { ok: true, value };
      }
      case 'output':
        return outputOf(this.findOutputs(binding.task), binding.task, binding.output);
      case 'loopItem': {
        if (!(binding.loop in this.loopItems)) return { ok: false, reason: `not inside loop "${binding.loop}"` };
        let value: JsonValue | undefined = this.loopItems[binding.loop];
        for (const key of binding.path ?? []) {
          value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
        }
        return value === undefined
          ? { ok: false, reason: `item of loop "${binding.loop}" has no field ${(binding.path ?? []).join('.')}` }
          : { ok: true, value: param(value) };
      }
      case 'collected': {
        const results = this.findLoop(binding.loop);
        if (!results) return { ok: false, reason: `loop "${binding.loop}" has not run` };
        const path = this.dagCollectPaths.get(collectKey(binding.loop, binding.task)) ?? [];
        return { ok: true, value: collect(results, path, binding.task, binding.output) };
      }
      case 'oneOf': {
        const branch = this.findBranch(binding.condition);
        for (const source of binding.sources) {
          const found = outputOf(this.findOutputs(source.task), source.task, source.output);
          if (found.ok) return found;
        }
        return {
          ok: false,
          reason: `no branch of condition "${binding.condition}" produced an output${branch === undefined ? ' (no branch ran)' : ''}`,
        };
      }
      case 'finalStatus': {
        const status = this.findFinalStatus();
        return status
          ? { ok: true, value: param({ ...status }) }
          : { ok: false, reason: 'finalStatus is only available in an exit handler' };
      }
    }
  }

  private findBranch(condition: string): number | undefined {
    return this.branches.get(condition) ?? this.parent?.findBranch(condition);
  }
}

function outputOf(outputs: TaskOutputs | undefined, task: string, output: string): Resolution {
  if (!outputs) return { ok: false, reason: `upstream task "${task}" produced no outputs (it did not succeed)` };
  const value = outputs.params[output];
  if (value !== undefined) return { ok: true, value: param(value) };
  const produced = outputs.artifacts[output];
  if (produced) return { ok: true, value: artifact(produced) };
  return { ok: false, reason: `task "${task}" has no output "${output}"` };
}

/**
 * Fan-in in item order. Iterations where the producer did not run (skipped by a
 * condition, or failed) are left out, as in KFP; `path` names the nested loops
 * down to the producer, each adding a list level (one list per iteration that ran).
 */
function collect(results: (ScopeResult | null)[], path: readonly string[], task: string, output: string): Value {
  const items: Value[] = [];
  const [inner, ...rest] = path;
  for (const result of results) {
    if (!result) continue;
    if (inner === undefined) {
      const found = outputOf(result.outputs[task], task, output);
      if (found.ok) items.push(found.value);
    } else {
      items.push(collect(result.loops[inner] ?? [], rest, task, output));
    }
  }
  // A list of artifacts is an artifact value; of parameters (or of nothing), a parameter value.
  const list: JsonValue = items.map((item) => item.value);
  return items.some((item) => item.kind === 'artifact') && isArtifactShaped(list) ? artifact(list) : param(list);
}
