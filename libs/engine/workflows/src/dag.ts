/**
 * Runs a DAG: each node starts once its siblings in `dependsOn` have settled.
 * Nodes are started in the DAG's key order and wait on promises, so the order
 * of commands is a pure function of the IR and the activities' results —
 * deterministic under replay.
 */
import type { Dag, Node } from '@kiln/ir';
import { stopReason, type DagEnv, type ExecutionContext } from './context';
import { runCondition } from './condition';
import { runExitHandler } from './exit-handler';
import { runLoop } from './loop';
import { combine, isFailure, type Outcome } from './outcome';
import type { Scope } from './scope';
import { markSkipped } from './skip';
import { runTask } from './task';

export async function runDag(ctx: ExecutionContext, dag: Dag, scope: Scope, env: DagEnv): Promise<Outcome> {
  const settled = new Map<string, Promise<Outcome>>();
  const visiting = new Set<string>();

  const nodeOutcome = (id: string): Promise<Outcome> => {
    let promise = settled.get(id);
    if (!promise) {
      if (visiting.has(id)) throw new Error(`dependency cycle through "${id}"`);
      visiting.add(id);
      promise = runAfterDependencies(id, dag.tasks[id] as Node);
      settled.set(id, promise);
      visiting.delete(id);
    }
    return promise;
  };

  const runAfterDependencies = async (id: string, node: Node): Promise<Outcome> => {
    // Dependencies outside this DAG were settled before the enclosing group started.
    const deps = node.dependsOn.filter((dep) => dep in dag.tasks);
    const depOutcomes = await Promise.all(deps.map(nodeOutcome));
    return runNode(ctx, id, node, scope, env, deps, depOutcomes);
  };

  const outcomes = await Promise.all(Object.keys(dag.tasks).map(nodeOutcome));
  return combine(outcomes);
}

async function runNode(
  ctx: ExecutionContext,
  id: string,
  node: Node,
  scope: Scope,
  env: DagEnv,
  deps: string[],
  depOutcomes: Outcome[],
): Promise<Outcome> {
  if (!env.cleanup && ctx.cancelRequested) {
    markSkipped(ctx, id, node, scope, stopReason(ctx), 'cancelled');
    return 'cancelled';
  }
  if (!env.cleanup && ctx.failFastTriggered) {
    markSkipped(ctx, id, node, scope, 'not started: failFast after a failure');
    return 'upstreamFailed';
  }
  const failedDep = deps.find((_, i) => isFailure(depOutcomes[i] as Outcome));
  const ignores = node.type === 'task' && node.settings.ignoreUpstreamFailure === true;
  if (failedDep !== undefined && !ignores) {
    markSkipped(ctx, id, node, scope, `upstream task "${failedDep}" did not succeed`);
    return 'upstreamFailed';
  }
  switch (node.type) {
    case 'task':
      return runTask(ctx, id, node, scope, env);
    case 'condition':
      return runCondition(ctx, id, node, scope, env);
    case 'loop':
      return runLoop(ctx, id, node, scope, env);
    case 'exitHandler':
      return runExitHandler(ctx, id, node, scope, env);
  }
}
