/** Finding the IR task behind a graph node or a run task id (`outer/inner` inside sub-pipelines). */
import { componentScope, rootScope, type PipelineSpec, type TaskNode } from '@kiln/ir';

/**
 * @example
 * ```ts
 * irTaskOf(spec, 'validate-inner/check')?.component; // 'check'
 * ```
 */
export function irTaskOf(spec: PipelineSpec, runTaskId: string): TaskNode | undefined {
  const path = runTaskId.split('/');
  let scope = rootScope(spec);
  for (const [index, id] of path.entries()) {
    const visit = scope.nodes.get(id);
    if (visit?.node.type !== 'task') return undefined;
    if (index === path.length - 1) return visit.node;
    const inner = componentScope(spec, visit.node.component);
    if (!inner) return undefined;
    scope = inner;
  }
  return undefined;
}
