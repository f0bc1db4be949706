/** Temporal's execution status in Kiln's run states, visibility queries over them, and links into the Temporal UI. */
import type { RunState } from '@kiln/engine-contract';

/**
 * A closed workflow's status decides the run state (a terminated run never got
 * to record its own); a running one is RUNNING or, before its first step,
 * PENDING (`recorded` is the `KilnRunStatus` search attribute or the document's state).
 *
 * @example
 * ```ts
 * runStateOf('TERMINATED'); // 'FAILED'
 * runStateOf('RUNNING', 'PENDING'); // 'PENDING'
 * ```
 */
export function runStateOf(temporalStatus: string, recorded?: string): RunState {
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

/** Filters of a run listing; all optional, combined with AND. */
export interface RunListFilter {
  pipeline?: string;
  digest?: string;
  experiment?: string;
  status?: RunState;
  /** Runs started at or after this instant (ISO 8601 with an offset, e.g. `2026-12-01T00:00:00Z`). */
  startedAfter?: string;
  /** Runs started before this instant (ISO 8601 with an offset). */
  startedBefore?: string;
}

/** The visibility condition on `ExecutionStatus` for a run state. */
export function runStateCondition(state: RunState): string {
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

/**
 * The visibility query for Kiln runs matching `filter`. Values are quoted with
 * quotes and backslashes stripped, so no value can end the string early; times
 * are written as UTC ISO instants, so only a valid time reaches the query.
 *
 * @example
 * ```ts
 * runsQuery({ pipeline: 'training', status: 'FAILED' });
 * // "WorkflowType = 'kilnPipelineRun' AND KilnPipelineName = 'training' AND ExecutionStatus IN ('Failed', 'Terminated', 'TimedOut')"
 * ```
 */
export function runsQuery(filter: RunListFilter): string {
  const quote = (v: string) => `'${v.replace(/['"\\]/g, '')}'`;
  const parts = [`WorkflowType = 'kilnPipelineRun'`];
  if (filter.pipeline) parts.push(`KilnPipelineName = ${quote(filter.pipeline)}`);
  if (filter.digest) parts.push(`KilnPipelineDigest = ${quote(filter.digest)}`);
  if (filter.experiment) parts.push(`KilnExperiment = ${quote(filter.experiment)}`);
  if (filter.status) parts.push(runStateCondition(filter.status));
  if (filter.startedAfter) parts.push(`StartTime >= '${instant(filter.startedAfter, 'startedAfter')}'`);
  if (filter.startedBefore) parts.push(`StartTime < '${instant(filter.startedBefore, 'startedBefore')}'`);
  return parts.join(' AND ');
}

const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A time as the UTC instant visibility compares; a value that is no time is refused naming the filter. */
function instant(value: string, filter: string): string {
  // Date.parse alone takes almost anything (V8 reads "x' OR '1" as a date in 2001): ISO 8601 with a zone only.
  const ms = isoWithZone.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${filter}: not a time: expected ISO 8601 such as 2026-12-01T00:00:00Z`);
  return new Date(ms).toISOString();
}

/**
 * Link to a run in the Temporal Web UI, when its base URL is known.
 *
 * @example
 * ```ts
 * temporalUiLink('http://localhost:8233/', 'default', 'kiln-hello-01j...');
 * // 'http://localhost:8233/namespaces/default/workflows/kiln-hello-01j...'
 * ```
 */
export function temporalUiLink(base: string | undefined, namespace: string, workflowId: string): string | undefined {
  return base
    ? `${base.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`
    : undefined;
}
