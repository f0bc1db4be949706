/**
 * The side panel of a selected task. One instance: its details. Many (a task
 * in a loop body): the counts, and the instances known one by one (failed first;
 * a batched loop keeps only its failed and cancelled ones) to pick from.
 */
import type { TaskStatus } from '@kiln/engine-contract';
import type { PipelineSpec } from '@kiln/ir';
import { useState } from 'react';
import type { ListedArtifact, RunResource } from '../../api/wire';
import { StateBadge } from '../../components/StateBadge';
import { StateCounts } from '../../components/StateCounts';
import type { GraphNode } from '../../graph/model';
import type { NodeRunState } from '../../graph/run-overlay';
import { taskStates } from '../../graph/state-counts';
import { TaskInstance } from './TaskInstance';

/** Instances listed at most; the loop's iterations page lists the rest. */
const maxListed = 50;

const instanceKey = (t: TaskStatus) => t.iteration?.join(',') ?? '';

export function TaskPanel({
  run,
  spec,
  node,
  state,
  artifacts,
}: {
  run: RunResource;
  spec: PipelineSpec | undefined;
  node: GraphNode;
  state: NodeRunState | undefined;
  artifacts: readonly ListedArtifact[] | undefined;
}) {
  const [chosen, setChosen] = useState<string>();
  const entries = run.tasks.filter((t) => t.id === node.runTaskId && !t.batched);
  const batched = run.tasks.some((t) => t.id === node.runTaskId && t.batched);
  const only = entries.length === 1 && !batched ? entries[0] : undefined;
  if (only) return <TaskInstance run={run} spec={spec} entry={only} artifacts={artifacts} />;
  if (!entries.length && !batched) return <p className="muted">{node.label} has not started yet.</p>;
  const listed = [...entries]
    .sort((a, b) => taskStates.indexOf(a.state) - taskStates.indexOf(b.state))
    .slice(0, maxListed);
  const picked = listed.find((t) => instanceKey(t) === chosen);
  return (
    <div className="task-instances">
      <h3>{node.label}</h3>
      {state && <StateCounts counts={state.counts} label={`Instances of ${node.label} by state`} />}
      {batched && (
        <p className="muted">Run in batches: instances that failed or were cancelled are listed one by one.</p>
      )}
      <ul className="instances">
        {listed.map((t) => (
          <li key={instanceKey(t)}>
            <button
              type="button"
              className="link-button"
              aria-pressed={instanceKey(t) === chosen}
              onClick={() => setChosen(instanceKey(t))}
            >
              iteration {t.iteration?.join(', ') ?? '—'}
            </button>{' '}
            <StateBadge state={t.state} />
          </li>
        ))}
      </ul>
      {entries.length > maxListed && <p className="muted">and {entries.length - maxListed} more</p>}
      {picked && <TaskInstance run={run} spec={spec} entry={picked} artifacts={artifacts} />}
    </div>
  );
}
