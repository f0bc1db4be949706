/** Records every task under a node that will not run, so the status document lists them. */
import type { Dag, Node } from '@kiln/ir';
import type { TaskState } from '@kiln/engine-contract';
import type { ExecutionContext } from './context';
import type { Scope } from './scope';

export function markSkipped(
  ctx: ExecutionContext,
  id: string,
  node: Node,
  scope: Scope,
  reason: string,
  state: Extract<TaskState, 'skipped' | 'cancelled'> = 'skipped',
): void {
  switch (node.type) {
    case 'task': {
      const component = ctx.spec.components[node.component];
      const name = component?.name ?? node.component;
      const entry = ctx.recorder.add(scope.taskPath(id), name, node.settings.displayName ?? name, scope.iteration);
      if (entry.state === 'pending') ctx.recorder.set(entry, state, { reason });
      return;
    }
    case 'condition':
      for (const branch of node.branches) markDag(ctx, branch.dag, scope, reason, state);
      return;
    case 'loop':
      markDag(ctx, node.body, scope, reason, state);
      return;
    case 'exitHandler':
      markDag(ctx, node.body, scope, reason, state);
      markDag(ctx, node.exit, scope, reason, state);
      return;
  }
}

export function markDag(
  ctx: ExecutionContext,
  dag: Dag,
  scope: Scope,
  reason: string,
  state: Extract<TaskState, 'skipped' | 'cancelled'> = 'skipped',
): void {
  for (const [id, node] of Object.entries(dag.tasks)) markSkipped(ctx, id, node, scope, reason, state);
}
