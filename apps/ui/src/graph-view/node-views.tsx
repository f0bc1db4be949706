/**
 * How each kind of node looks. Every string comes from the IR or the run and is
 * rendered as text. Leaf sizes are fixed by the layout, so labels are cut with
 * an ellipsis and shown whole on hover.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { KilnFlowNode } from '../graph/flow-elements';
import type { NodeRunState } from '../graph/run-overlay';
import { StateBar } from '../components/StateCounts';
import { useGraphActions } from './actions';

const number = new Intl.NumberFormat('en');

function Handles() {
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
}

function stateClass(run: NodeRunState | undefined): string {
  return run?.state ? `state-${run.state}` : run ? 'state-none' : '';
}

/** `9,500 ✓ · 3 ✗ · 40 running` for a node standing for many instances. */
function countsLine(run: NodeRunState): string {
  const parts: string[] = [];
  const c = run.counts;
  if (c.succeeded + c.cached) parts.push(`${number.format(c.succeeded + c.cached)} done`);
  if (c.failed) parts.push(`${number.format(c.failed)} failed`);
  if (c.running) parts.push(`${number.format(c.running)} running`);
  if (c.pending) parts.push(`${number.format(c.pending)} pending`);
  if (c.skipped) parts.push(`${number.format(c.skipped)} skipped`);
  if (c.cancelled) parts.push(`${number.format(c.cancelled)} cancelled`);
  return parts.join(' · ');
}

function ToggleButton({ nodeId, open, label }: { nodeId: string; open: boolean; label: string }) {
  const { toggle } = useGraphActions();
  return (
    <button
      type="button"
      className="node-toggle nodrag"
      aria-expanded={open}
      aria-label={`${open ? 'Close' : 'Open'} ${label}`}
      onClick={(event) => {
        event.stopPropagation();
        toggle(nodeId);
      }}
    >
      {open ? '−' : '+'}
    </button>
  );
}

export const TaskNodeView = memo(function TaskNodeView({ data, selected }: NodeProps<KilnFlowNode>) {
  const { node, run } = data;
  const many = run && run.total > 1;
  return (
    <div className={`kiln-node kiln-task ${stateClass(run)} ${selected ? 'selected' : ''}`}>
      <Handles />
      <div className="node-title" title={node.label}>
        {node.label}
      </div>
      <div className="node-detail" title={node.detail}>
        {many ? countsLine(run) : (run?.state ?? node.detail ?? '')}
      </div>
    </div>
  );
});

export const ClosedGroupNodeView = memo(function ClosedGroupNodeView({ data, selected }: NodeProps<KilnFlowNode>) {
  const { node, run } = data;
  const kind = node.kind === 'loop' ? 'loop' : 'sub-pipeline';
  return (
    <div className={`kiln-node kiln-closed kiln-${node.kind} ${stateClass(run)} ${selected ? 'selected' : ''}`}>
      <Handles />
      <div className="node-title" title={node.label}>
        <span className="node-kind">{kind}</span> {node.label}
        <ToggleButton nodeId={node.id} open={false} label={`${kind} ${node.label}`} />
      </div>
      <div className="node-detail" title={node.detail}>
        {run && run.total ? countsLine(run) : (node.detail ?? '')}
      </div>
      {run && <StateBar counts={run.counts} />}
    </div>
  );
});

const containerKind: Record<string, string> = {
  condition: 'condition',
  branch: '',
  loop: 'loop',
  exitHandler: 'exit handler',
  exitPart: '',
  subPipeline: 'sub-pipeline',
};

export const ContainerNodeView = memo(function ContainerNodeView({ data }: NodeProps<KilnFlowNode>) {
  const { node, run } = data;
  const branch = run?.branch;
  const kind = containerKind[node.kind] ?? node.kind;
  const openable = node.kind === 'loop' || node.kind === 'subPipeline';
  return (
    <div className={`kiln-container kiln-${node.kind} ${branch ? `branch-${branch}` : ''}`}>
      <Handles />
      <div className="container-header">
        {kind && <span className="node-kind">{kind}</span>}
        <span className="container-label" title={node.label}>
          {node.label}
        </span>
        {branch && <span className={`branch-outcome branch-${branch}`}>{branch.replace('-', ' ')}</span>}
        {node.kind === 'loop' && run && run.total > 0 && <span className="container-counts">{countsLine(run)}</span>}
        {openable && <ToggleButton nodeId={node.id} open label={`${kind} ${node.label}`} />}
      </div>
    </div>
  );
});

export const nodeTypes = { task: TaskNodeView, closed: ClosedGroupNodeView, container: ContainerNodeView };
