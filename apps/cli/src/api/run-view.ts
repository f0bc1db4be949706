/**
 * How a run looks in the terminal: a header and a task table. `LiveRunView`
 * redraws it in place on a terminal while a run is watched, and prints one
 * line per task change otherwise (logs, CI), so long work is visible either way.
 */
import type { RunDetails, RunUpdate } from '@kiln/client';
import { duration, shortTime, table } from './table';

const marks: Record<string, string> = {
  pending: '·',
  running: '▶',
  succeeded: '✓',
  cached: '↺',
  skipped: '–',
  failed: '✗',
  cancelled: '⊘',
};

export function renderRun(run: RunDetails): string {
  const head = [
    `run       ${run.runId}`,
    `pipeline  ${run.pipeline.name}${run.origin?.pipelineVersion ? ` (version ${run.origin.pipelineVersion})` : ''} ${run.pipeline.digest.slice(0, 19)}`,
    `state     ${run.state}${run.error ? `: ${run.error.split('\n')[0]}` : ''}`,
    `started   ${shortTime(run.startedAt)}${run.finishedAt ? `   finished ${shortTime(run.finishedAt)}` : ''}   (${duration(run.startedAt, run.finishedAt)})`,
    ...(Object.keys(run.params).length
      ? [
          `params    ${Object.entries(run.params)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(' ')}`,
        ]
      : []),
    ...(run.experiment ? [`experiment ${run.experiment}`] : []),
    ...(run.origin?.retryOf ? [`retry of  ${run.origin.retryOf}`] : []),
    ...(run.temporal?.ui ? [`temporal  ${run.temporal.ui}`] : []),
  ].join('\n');
  const rows = run.tasks.map((t) => [
    `${marks[t.state] ?? '?'} ${t.id}${t.iteration?.length ? `[${t.iteration.join(',')}]` : ''}`,
    t.batched ? `${t.state} ×${t.batched.total}` : t.state,
    t.attempts > 1 ? String(t.attempts) : t.attempts === 1 ? '1' : '',
    duration(t.startedAt, t.finishedAt ?? (t.state === 'running' ? undefined : t.startedAt)),
    t.error ? (t.error.split('\n')[0]?.slice(0, 80) ?? '') : (t.reason ?? (t.cached ? 'from cache' : '')),
  ]);
  return `${head}\n\n${rows.length ? table(['TASK', 'STATE', 'ATTEMPTS', 'TIME', 'NOTE'], rows) : '(no tasks yet)\n'}`;
}

export class LiveRunView {
  private drawn = 0;

  constructor(private readonly out: { write(text: string): void; isTTY?: boolean }) {}

  update(update: RunUpdate): void {
    if (this.out.isTTY) {
      const text = renderRun(update.run);
      // Move up over the last drawing and clear to the end of the screen.
      this.out.write(`${this.drawn ? `\x1b[${this.drawn}A\x1b[0J` : ''}${text}`);
      this.drawn = text.split('\n').length - 1;
      return;
    }
    for (const change of update.changes) {
      const where = change.iteration?.length ? `[${change.iteration.join(',')}]` : '';
      const task = update.run.tasks.find(
        (t) => t.id === change.id && (t.iteration ?? []).join(',') === (change.iteration ?? []).join(','),
      );
      const why = change.to === 'failed' && task?.error ? `: ${task.error.split('\n')[0]}` : '';
      this.out.write(`  ${marks[change.to] ?? '?'} ${change.id}${where} ${change.to}${why}\n`);
    }
    if (update.final)
      this.out.write(
        `${update.run.runId} ${update.run.state}${update.run.error ? `: ${update.run.error.split('\n')[0]}` : ''}\n`,
      );
  }
}
