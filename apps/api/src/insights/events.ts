/**
 * `GET /runs/:runId/events`: a run's task-state changes as server-sent events.
 * The API reads the run (its live `status` query while it runs) once a second
 * and sends what changed: a `snapshot` first, then `tasks` with the entries that
 * changed and `run` when the run's state did, and `end` once the run has ended,
 * after which it closes the stream. Streams of one run share its reads (`SharedRunReads`); a read
 * that fails is tried again at the next tick, and only a run of failures ends the stream.
 */
import type { RunEvent, RunResource, TaskStatus } from '@kiln/api-contract';
import type { ServerResponse } from 'node:http';

export interface RunEventsOptions {
  runId: string;
  /** Reads the run (shared between streams of one run). */
  readRun: (runId: string) => Promise<RunResource>;
  waitMs: number;
  signal: AbortSignal;
  /** Time between reads of the run (default 1 s). */
  intervalMs?: number;
  /** Time between keep-alive comments, so proxies keep an idle stream open (default 15 s). */
  keepAliveMs?: number;
}

const ended = (run: RunResource) =>
  run.state !== 'RUNNING' && run.state !== 'PENDING' && run.temporal.status !== 'RUNNING';

const entryKey = (t: TaskStatus) => (t.batched ? `${t.id}[batched]` : `${t.id}[${(t.iteration ?? []).join(',')}]`);

/** Remembers what each entry looked like when last sent, and tells which changed. */
class TaskDiff {
  private readonly seen = new Map<string, string>();

  changed(tasks: readonly TaskStatus[]): TaskStatus[] {
    const out: TaskStatus[] = [];
    for (const task of tasks) {
      const key = entryKey(task);
      const text = JSON.stringify(task);
      if (this.seen.get(key) === text) continue;
      this.seen.set(key, text);
      out.push(task);
    }
    return out;
  }
}

/** One event in the text/event-stream format; JSON never holds a raw newline, so one `data:` line. */
export function formatEvent(id: number, event: RunEvent): string {
  return `id: ${id}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** Consecutive failed reads that end a stream (the client then reconnects or polls). */
const maxFailedReads = 5;

/**
 * Streams the events of a run already read once (`first`, so a missing run is a 404 before any byte is sent).
 *
 * @example
 * ```ts
 * const first = await getRun(deps, runId);
 * reply.hijack();
 * await streamRunEvents(first, reply.raw, { runId, readRun: (id) => getRun(deps, id), waitMs: 3_600_000, signal });
 * ```
 */
export async function streamRunEvents(
  first: RunResource,
  out: ServerResponse,
  options: RunEventsOptions,
): Promise<void> {
  const { signal } = options;
  const deadline = Date.now() + options.waitMs;
  let id = 0;
  const send = (event: RunEvent) => {
    if (!out.writableEnded) out.write(formatEvent(++id, event));
  };
  const keepAlive = setInterval(() => out.write(': keep-alive\n\n'), options.keepAliveMs ?? 15_000);
  try {
    const diff = new TaskDiff();
    diff.changed(first.tasks);
    send({ event: 'snapshot', data: first });
    let run = first;
    let state = first.state;
    let failedReads = 0;
    while (!ended(run) && !signal.aborted && Date.now() < deadline) {
      await pause(Math.min(options.intervalMs ?? 1000, Math.max(0, deadline - Date.now())), signal);
      if (signal.aborted) return;
      try {
        run = await options.readRun(options.runId);
        failedReads = 0;
      } catch (error) {
        // Temporal restarting or a blip: the stream stays open and tries again at the next tick.
        if (++failedReads >= maxFailedReads) throw error;
        continue;
      }
      const tasks = diff.changed(run.tasks);
      if (tasks.length) send({ event: 'tasks', data: { tasks } });
      if (run.state !== state) {
        state = run.state;
        send({
          event: 'run',
          data: {
            state: run.state,
            ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
            ...(run.error ? { error: run.error } : {}),
          },
        });
      }
    }
    if (!signal.aborted) send({ event: 'end', data: { state: run.state, reason: ended(run) ? 'ended' : 'timeout' } });
  } finally {
    clearInterval(keepAlive);
    if (!out.writableEnded) out.end();
  }
}
