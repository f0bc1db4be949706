/**
 * Live per-step progress on stderr: polls the run's `status` query and prints
 * one line whenever a task instance changes state, one line per failed attempt
 * (its failure class and reason), and the run's notes (where it does not do what
 * the pipeline asked) once.
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
  /** The last failed attempt printed per task instance (its `error`, which names the attempt). */
  private readonly failures = new Map<string, string>();
  private notesShown = false;

  constructor(private readonly write: (line: string) => void) {}

  update(doc: RunStatusDocument): void {
    if (!this.notesShown && doc.notes?.length) {
      this.notesShown = true;
      for (const note of doc.notes) this.write(`kiln: note: ${note}`);
    }
    for (const task of doc.tasks) {
      const key = task.batched ? `${task.id}[batched]` : `${task.id}[${(task.iteration ?? []).join(',')}]`;
      // A failed attempt that is retried: its error stays on the entry until the next attempt fails,
      // so even a state missed between two polls is printed once.
      if (task.state !== 'failed' && task.error && this.failures.get(key) !== task.error) {
        this.failures.set(key, task.error);
        this.write(retriedAttempt(task));
      }
      const line = describe(task);
      if (this.seen.get(key) === line) continue;
      this.seen.set(key, line);
      if (task.state === 'pending') continue;
      this.write(line);
    }
  }
}

/** `attempt 2: user failure (NonZeroExit): the command exited with code 3; exit code 3; log tail: …` as its parts. */
const attemptError = /^attempt (\d+): (\w+) failure(?: \(([^)]*)\))?: (.*)$/;

/** How a failed attempt reads: its number, class and reason, and the message's first line. */
function failedAttempt(error: string): string {
  const first = firstLine(error);
  const m = attemptError.exec(first);
  if (!m) return first;
  const [, attempt, failureClass, reason, message] = m;
  return `attempt ${attempt} failed: ${failureClass}${reason ? ` ${reason}` : ''}: ${message?.replace(/; log tail:$/, '')}`;
}

function retriedAttempt(task: TaskStatus): string {
  return `  ✗ ${taskName(task)}${where(task)} ${failedAttempt(task.error ?? '')}; retrying`;
}

function where(task: TaskStatus): string {
  return task.iteration?.length ? ` [${task.iteration.map((i) => i + 1).join(',')}]` : '';
}

function taskName(task: TaskStatus): string {
  return task.displayName === task.id ? task.id : `${task.id} (${task.displayName})`;
}

function describe(task: TaskStatus): string {
  const name = taskName(task);
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
  const why =
    task.state === 'failed'
      ? `: ${failedAttempt(task.error ?? '')}`
      : task.state === 'skipped' && task.reason
        ? ` (${task.reason})`
        : '';
  return `  ${marks[task.state] ?? '?'} ${name}${where(task)} ${task.state}${attempt}${took}${why}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
