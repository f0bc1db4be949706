/**
 * A run on top of its pipeline's graph: each node's task instances counted by
 * state, the state it shows, and for condition branches whether they were taken.
 * Linear in the document's entries, whatever the loops' item counts (a batched
 * loop's body task is one summary entry).
 */
import type { TaskState, TaskStatus } from '@kiln/engine-contract';
import type { GraphModel, GraphNode } from './model';
import { addEntries, emptyCounts, entriesById, totalOf, worstState, type StateCounts } from './state-counts';

/**
 * - `taken`: the branch ran (in at least one iteration, inside a loop).
 * - `not-taken`: every instance was skipped because another case (or none) held.
 * - `skipped`: skipped for another reason (an upstream failure, a cancelled run).
 * - `pending`: not decided yet.
 */
export type BranchOutcome = 'taken' | 'not-taken' | 'skipped' | 'pending';

export interface NodeRunState {
  /** The state the node shows: its one instance's, or the most alarming of many. */
  readonly state?: TaskState;
  readonly counts: StateCounts;
  /** Task instances counted (iterations of a loop body task, all tasks of a group). */
  readonly total: number;
  readonly branch?: BranchOutcome;
}

function branchOutcome(node: GraphNode, byId: ReadonlyMap<string, TaskStatus[]>): BranchOutcome {
  let any = false;
  let ran = false;
  let byCondition = true;
  const marker = `condition "${node.branch?.condition}"`;
  for (const id of node.members ?? []) {
    for (const entry of byId.get(id) ?? []) {
      any = true;
      if (entry.batched) {
        const counts = entry.batched.counts;
        if ((counts.skipped ?? 0) < entry.batched.total) ran = true;
        continue;
      }
      if (entry.state !== 'skipped') ran = true;
      else if (!entry.reason?.startsWith(marker)) byCondition = false;
    }
  }
  if (ran) return 'taken';
  if (!any) return 'pending';
  return byCondition ? 'not-taken' : 'skipped';
}

function nodeState(node: GraphNode, byId: ReadonlyMap<string, TaskStatus[]>): NodeRunState {
  const counts = emptyCounts();
  // A sub-pipeline task has an entry of its own besides its members'.
  const ids = node.runTaskId !== undefined && node.kind === 'task' ? [node.runTaskId] : (node.members ?? []);
  for (const id of ids) addEntries(counts, byId.get(id) ?? []);
  const own = node.runTaskId !== undefined ? addEntries(emptyCounts(), byId.get(node.runTaskId) ?? []) : undefined;
  const shown = own && totalOf(own) > 0 ? worstState(own) : worstState(counts);
  return {
    counts,
    total: totalOf(counts),
    ...(shown ? { state: shown } : {}),
    ...(node.kind === 'branch' ? { branch: branchOutcome(node, byId) } : {}),
  };
}

/**
 * @example
 * ```ts
 * const states = overlayRun(pipelineGraph(spec, runGraphDefaults), run.tasks);
 * states.get('fan-out'); // { state: 'running', counts: { succeeded: 9000, running: 40, ... }, total: 10000 }
 * ```
 */
export function overlayRun(graph: GraphModel, tasks: readonly TaskStatus[]): Map<string, NodeRunState> {
  const byId = entriesById(tasks);
  const states = new Map<string, NodeRunState>();
  for (const node of graph.nodes) states.set(node.id, nodeState(node, byId));
  return states;
}
