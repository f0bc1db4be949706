/** Temporal's execution status in Kiln's run states, and links into the Temporal UI. */
import type { RunState } from '@kiln/engine';

/**
 * A closed workflow's status decides the run state (a terminated run never got
 * to record its own); a running one is RUNNING or, before its first step, PENDING.
 */
export function stateOf(temporalStatus: string, recorded?: string): RunState {
  switch (temporalStatus) {
    case 'COMPLETED':
      return 'SUCCEEDED';
    case 'CANCELLED':
      return 'CANCELLED';
    case 'FAILED':
    case 'TERMINATED':
    case 'TIMED_OUT':
      return 'FAILED';
    case 'CONTINUED_AS_NEW':
      return 'RUNNING';
    default:
      return recorded === 'PENDING' ? 'PENDING' : 'RUNNING';
  }
}

/** Visibility query conditions on `ExecutionStatus` for a run state filter. */
export function statusCondition(state: RunState): string {
  switch (state) {
    case 'PENDING':
      return `ExecutionStatus = 'Running' AND KilnRunStatus = 'PENDING'`;
    case 'RUNNING':
      return `ExecutionStatus = 'Running'`;
    case 'SUCCEEDED':
      return `ExecutionStatus = 'Completed'`;
    case 'CANCELLED':
      return `ExecutionStatus = 'Canceled'`;
    case 'FAILED':
      return `ExecutionStatus IN ('Failed', 'Terminated', 'TimedOut')`;
  }
}

/** Link to a run in the Temporal Web UI. */
export function temporalUiLink(base: string | undefined, namespace: string, workflowId: string): string | undefined {
  return base ? `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}` : undefined;
}
