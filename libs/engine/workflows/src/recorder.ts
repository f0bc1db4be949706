/**
 * Keeps the task entries of the run status document and the progress shown as
 * the workflow's current details in the Temporal UI.
 */
import { setCurrentDetails } from '@temporalio/workflow';
import type { ExecutorKind } from '@kiln/engine-contract';
import type { TaskState, TaskStatus } from '@kiln/engine-contract';

const terminal: ReadonlySet<TaskState> = new Set(['succeeded', 'failed', 'skipped', 'cached', 'cancelled']);

export class Recorder {
  private readonly entries = new Map<string, TaskStatus>();
  private readonly counts: Record<TaskState, number> = {
    pending: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    cached: 0,
    cancelled: 0,
  };

  constructor(
    private readonly title: string,
    private readonly executor: ExecutorKind,
  ) {}

  static key(id: string, iteration: number[]): string {
    return iteration.length ? `${id}[${iteration.join(',')}]` : id;
  }

  /** Adds (or returns) the entry of one task instance. */
  add(id: string, name: string, displayName: string, iteration: number[]): TaskStatus {
    const key = Recorder.key(id, iteration);
    const existing = this.entries.get(key);
    if (existing) return existing;
    const entry: TaskStatus = {
      id,
      name,
      displayName,
      ...(iteration.length ? { iteration } : {}),
      state: 'pending',
      attempts: 0,
      cached: false,
      executor: this.executor,
      outputs: { params: {}, artifacts: {} },
    };
    this.entries.set(key, entry);
    this.counts.pending++;
    this.publish();
    return entry;
  }

  /** Adopts entries computed elsewhere (a loop batch's child workflow). */
  merge(entries: TaskStatus[]): void {
    for (const entry of entries) {
      const key = entry.batched ? `${entry.id}[batched]` : Recorder.key(entry.id, entry.iteration ?? []);
      const previous = this.entries.get(key);
      if (previous?.batched && entry.batched) {
        previous.batched.total += entry.batched.total;
        for (const [state, n] of Object.entries(entry.batched.counts) as [TaskState, number][]) {
          previous.batched.counts[state] = (previous.batched.counts[state] ?? 0) + n;
          this.counts[state] += n;
        }
        previous.batched.childWorkflowIds.push(...entry.batched.childWorkflowIds);
        previous.state = worse(previous.state, entry.state);
        previous.attempts = Math.max(previous.attempts, entry.attempts);
        continue;
      }
      this.entries.set(key, entry);
      if (entry.batched) {
        for (const [state, n] of Object.entries(entry.batched.counts) as [TaskState, number][]) this.counts[state] += n;
      } else {
        this.counts[entry.state]++;
      }
    }
    this.publish();
  }

  set(entry: TaskStatus, state: TaskState, patch: Partial<TaskStatus> = {}): void {
    this.counts[entry.state]--;
    this.counts[state]++;
    Object.assign(entry, patch, { state });
    if (terminal.has(state) && !entry.finishedAt) entry.finishedAt = new Date().toISOString();
    this.publish();
  }

  tasks(): TaskStatus[] {
    return [...this.entries.values()];
  }

  /**
   * Compacts entries for a parent workflow: one summary entry per task id with
   * counts; failed and cancelled instances keep their own entries.
   */
  compact(childWorkflowId: string): TaskStatus[] {
    const summaries = new Map<string, TaskStatus>();
    const kept: TaskStatus[] = [];
    for (const entry of this.entries.values()) {
      if (!entry.batched && (entry.state === 'failed' || entry.state === 'cancelled')) kept.push(entry);
      let summary = summaries.get(entry.id);
      if (!summary) {
        summary = {
          id: entry.id,
          name: entry.name,
          displayName: entry.displayName,
          state: entry.state,
          attempts: 0,
          cached: false,
          executor: entry.executor,
          outputs: { params: {}, artifacts: {} },
          batched: { total: 0, counts: {}, childWorkflowIds: [childWorkflowId] },
        };
        summaries.set(entry.id, summary);
      }
      const batched = summary.batched ?? { total: 0, counts: {}, childWorkflowIds: [] };
      if (entry.batched) {
        // A summary from a grandchild (loops split twice): add its counts, not one instance.
        batched.total += entry.batched.total;
        for (const [state, n] of Object.entries(entry.batched.counts) as [TaskState, number][]) {
          batched.counts[state] = (batched.counts[state] ?? 0) + n;
        }
        batched.childWorkflowIds.push(...entry.batched.childWorkflowIds);
      } else {
        batched.total++;
        batched.counts[entry.state] = (batched.counts[entry.state] ?? 0) + 1;
      }
      summary.state = worse(summary.state, entry.state);
      summary.attempts = Math.max(summary.attempts, entry.attempts);
      summary.cached = summary.cached || entry.cached;
      if (entry.startedAt && (!summary.startedAt || entry.startedAt < summary.startedAt))
        summary.startedAt = entry.startedAt;
      if (entry.finishedAt && (!summary.finishedAt || entry.finishedAt > summary.finishedAt))
        summary.finishedAt = entry.finishedAt;
    }
    return [...summaries.values(), ...kept];
  }

  /** The progress table the Temporal UI shows as the workflow's current details. */
  private publish(): void {
    const c = this.counts;
    const done = c.succeeded + c.cached + c.failed + c.skipped + c.cancelled;
    const running = [...this.entries.values()].filter((e) => e.state === 'running').slice(0, 10);
    const lines = [
      `**${this.title}**: ${done}/${done + c.running + c.pending} tasks settled`,
      '',
      '| running | succeeded | cached | failed | skipped | cancelled | pending |',
      '|---|---|---|---|---|---|---|',
      `| ${c.running} | ${c.succeeded} | ${c.cached} | ${c.failed} | ${c.skipped} | ${c.cancelled} | ${c.pending} |`,
    ];
    if (running.length)
      lines.push('', `Running: ${running.map((e) => Recorder.key(e.id, e.iteration ?? [])).join(', ')}`);
    setCurrentDetails(lines.join('\n'));
  }
}

const severity: TaskState[] = ['succeeded', 'cached', 'skipped', 'pending', 'running', 'cancelled', 'failed'];

/** The state a summary shows: the most alarming of its members. */
function worse(a: TaskState, b: TaskState): TaskState {
  return severity.indexOf(a) >= severity.indexOf(b) ? a : b;
}
