/**
 * Live per-step progress on stderr: polls the run's `status` query and prints
 * one line whenever a task instance changes state.
 */
import type { RunStatusDocument, TaskStatus } from '@kiln/engine-contract';

const marks: Record<string, string> = {
  pending: '·',
  running: '▶',
  succeeded: '✓',
  cached: '↺',
  skipped: '–',
  failed: '✗',
  cancelled: '⊘',
};

export class ProgressPrinter {
  private readonly seen = new Map<string, string>();

  constructor(private readonly write: (line: string) => void) {}

  update(doc: RunStatusDocument): void {
    for (const task of doc.tasks) {
      const key = task.batched ? `${task.id}[batched]` : `${task.id}[${(task.iteration ?? []).join(',')}]`;
      const line = describe(task);
      if (this.seen.get(key) === line) continue;
      this.seen.set(key, line);
      if (task.state === 'pending' && !task.error) continue;
      this.write(line);
    }
  }
}

function describe(task: TaskStatus): string {
  const where = task.iteration?.length ? ` [${task.iteration.map((i) => i + 1).join(',')}]` : '';
  const name = task.displayName === task.id ? task.id : `${task.id} (${task.displayName})`;
  if (task.batched) {
    const counts = Object.entries(task.batched.counts)
      .map(([state, n]) => `${n} ${state}`)
      .join(', ');
    return `  ${marks[task.state] ?? '?'} ${name} ×${task.batched.total}: ${counts}`;
  }
  const attempt = task.attempts > 1 ? ` attempt ${task.attempts}` : '';
  const took =
    task.startedAt && task.finishedAt
      ? ` ${((Date.parse(task.finishedAt) - Date.parse(task.startedAt)) / 1000).toFixed(1)}s`
      : '';
  const extra = task.state === 'pending' && task.error ? ` retrying after: ${firstLine(task.error)}` : '';
  const why =
    task.state === 'failed'
      ? `: ${firstLine(task.error ?? '')}`
      : task.state === 'skipped' && task.reason
        ? ` (${task.reason})`
        : '';
  return `  ${marks[task.state] ?? '?'} ${name}${where} ${task.state}${attempt}${took}${why}${extra}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
