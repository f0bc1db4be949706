/**
 * Live per-step progress on stderr: polls the run's `status` query and prints
 * one line whenever a task instance changes state, one line per failed attempt
 * (its failure class and reason), and the run's notes (where it does not do what
 * the pipeline asked) once.
 */
import type { AttemptRecord, RunStatusDocument, TaskStatus } from '@kiln/engine-contract';

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
  /** The last failed attempt printed per task instance (its `error`, which names the attempt), for runs without an attempt history. */
  private readonly failures = new Map<string, string>();
  /** The failed attempts printed per task instance, from its attempt history. */
  private readonly printedAttempts = new Map<string, Set<number>>();
  private notesShown = false;

  constructor(private readonly write: (line: string) => void) {}

  update(doc: RunStatusDocument): void {
    if (!this.notesShown && doc.notes?.length) {
      this.notesShown = true;
      for (const note of doc.notes) this.write(`kiln: note: ${note}`);
    }
    for (const task of doc.tasks) {
      const key = task.batched ? `${task.id}[batched]` : `${task.id}[${(task.iteration ?? []).join(',')}]`;
      this.printRetriedAttempts(key, task);
      const line = describe(task);
      if (this.seen.get(key) === line) continue;
      this.seen.set(key, line);
      if (task.state === 'pending') continue;
      this.write(line);
    }
  }

  /**
   * One line per failed attempt that was retried, each once. From the task's attempt history when it has
   * one: every failed attempt is there, so attempts that failed and were retried between two polls (or
   * before the only document read, the final one) are printed too. Runs recorded without a history have
   * only the latest failed attempt's `error`, which stays on the entry until the next attempt fails.
   */
  private printRetriedAttempts(key: string, task: TaskStatus): void {
    if (task.attemptHistory) {
      const failed = task.attemptHistory.filter((a) => a.state === 'failed' && a.finishedAt);
      // The last attempt of a failed task is the task's own failure: its state line says it.
      const retried = task.state === 'failed' ? failed.filter((a) => a !== task.attemptHistory?.at(-1)) : failed;
      const printed = this.printedAttempts.get(key) ?? new Set<number>();
      this.printedAttempts.set(key, printed);
      for (const record of retried) {
        if (printed.has(record.attempt)) continue;
        printed.add(record.attempt);
        this.write(`  ✗ ${taskName(task)}${where(task)} ${recordedFailure(record)}; retrying`);
      }
      return;
    }
    if (task.state !== 'failed' && task.error && this.failures.get(key) !== task.error) {
      this.failures.set(key, task.error);
      this.write(retriedAttempt(task));
    }
  }
}

/** A failed attempt from its record, read as {@link failedAttempt} reads the `error` text. */
function recordedFailure(record: AttemptRecord): string {
  const reason = record.reason ? ` ${record.reason}` : '';
  const exitCode = record.exitCode !== undefined ? `; exit code ${record.exitCode}` : '';
  return `attempt ${record.attempt} failed: ${record.failureClass ?? 'unknown'}${reason}: ${firstLine(record.error ?? '')}${exitCode}`;
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
