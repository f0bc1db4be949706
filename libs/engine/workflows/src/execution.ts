/**
 * Builds the execution context shared by the run workflow and loop batch children.
 */
import type { Dag, PipelineSpec } from '@kiln/ir';
import { CancellationScope } from '@temporalio/workflow';
import type { ExecutionContext, ResolvedRun } from './context';
import { collectPaths } from './collect-paths';
import { Recorder } from './recorder';
import { Semaphore } from './semaphore';

export function createContext(spec: PipelineSpec, run: ResolvedRun, title: string): ExecutionContext {
  const ctx: ExecutionContext = {
    spec,
    run,
    recorder: new Recorder(title, run.executor),
    slots: new Semaphore(run.parallelism),
    failedTasks: [],
    cancelRequested: false,
    timedOut: false,
    failFastTriggered: false,
    running: new Set(),
    children: 0,
    collectedTasks: collectedTaskIds(spec),
    collectPaths: collectPaths(spec),
    taggedValues: true,
  };
  // The root scope's cancellation reaches running activities by itself; this flag
  // stops new work from starting and lets exit handlers report CANCELLED.
  CancellationScope.current().cancelRequested.catch(() => {
    ctx.cancelRequested = true;
  });
  return ctx;
}

/** Ids of tasks whose outputs some `collected` binding reads, anywhere in the spec. */
function collectedTaskIds(spec: PipelineSpec): Set<string> {
  const ids = new Set<string>();
  const visitDag = (dag: Dag) => {
    for (const node of Object.values(dag.tasks)) {
      switch (node.type) {
        case 'task':
          for (const binding of Object.values(node.inputs)) if (binding.kind === 'collected') ids.add(binding.task);
          break;
        case 'condition':
          node.branches.forEach((b) => visitDag(b.dag));
          break;
        case 'loop':
          if (node.items.kind === 'collected') ids.add(node.items.task);
          visitDag(node.body);
          break;
        case 'exitHandler':
          visitDag(node.body);
          visitDag(node.exit);
          break;
      }
    }
  };
  visitDag(spec.root);
  for (const component of Object.values(spec.components)) {
    if (component.implementation.type === 'dag') {
      visitDag(component.implementation.dag);
      for (const b of Object.values(component.implementation.outputs)) if (b.kind === 'collected') ids.add(b.task);
    }
  }
  for (const b of Object.values(spec.outputs)) if (b.kind === 'collected') ids.add(b.task);
  return ids;
}

/** Finds a node by id anywhere in the spec (root DAG, groups, sub-pipeline components). */
export function findNode(spec: PipelineSpec, id: string): Dag['tasks'][string] | undefined {
  const search = (dag: Dag): Dag['tasks'][string] | undefined => {
    for (const [key, node] of Object.entries(dag.tasks)) {
      if (key === id) return node;
      const inner =
        node.type === 'condition'
          ? node.branches.map((b) => search(b.dag)).find(Boolean)
          : node.type === 'loop'
            ? search(node.body)
            : node.type === 'exitHandler'
              ? (search(node.body) ?? search(node.exit))
              : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  const found = search(spec.root);
  if (found) return found;
  for (const component of Object.values(spec.components)) {
    if (component.implementation.type === 'dag') {
      const inner = search(component.implementation.dag);
      if (inner) return inner;
    }
  }
  return undefined;
}
