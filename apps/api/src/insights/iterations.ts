/**
 * `GET /runs/:runId/tasks/:taskId/iterations`: a loop task's entries, one per
 * iteration, a page at a time. Unbatched loops are all in the run's status
 * document; a batched loop's document holds a summary (counts, batch ids) and
 * the failed and cancelled iterations, so a page of other iterations reads the
 * batches it needs, in order, and no more.
 */
import type { LoopIterationPage, RunResource, TaskState, TaskStatus } from '@kiln/api-contract';
import { invalidRequest, notFound } from '../errors';
import type { BatchStatusReader } from './batch-status';

export interface IterationsRequest {
  runId: string;
  taskId: string;
  state?: TaskState;
  pageSize: number;
  pageToken?: string;
}

const keyOf = (t: TaskStatus) => (t.iteration ?? []).join(',');

/** Loop indices compared outermost first. */
export function compareIterations(a: TaskStatus, b: TaskStatus): number {
  const x = a.iteration ?? [];
  const y = b.iteration ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return x.length - y.length;
}

/** Batch workflow ids in their natural order (`…-b2` before `…-b10`), which is loop-index order. */
export function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function encodeOffset(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString());
  if (!match?.[1]) throw invalidRequest('pageToken: must be the nextPageToken of a previous page of iterations');
  return Number(match[1]);
}

/** Counts of every state over the loose entries and the batch summaries. */
function countStates(loose: TaskStatus[], summaries: TaskStatus[]): Partial<Record<TaskState, number>> {
  const counts: Partial<Record<TaskState, number>> = {};
  for (const entry of loose) counts[entry.state] = (counts[entry.state] ?? 0) + 1;
  for (const summary of summaries)
    for (const [state, n] of Object.entries(summary.batched?.counts ?? {}) as [TaskState, number][])
      counts[state] = (counts[state] ?? 0) + n;
  return counts;
}

/**
 * @example
 * ```ts
 * const page = await listIterations((id) => getRun(deps, id), batches, { runId, taskId: 'train', state: 'failed', pageSize: 50 });
 * ```
 *
 * @param readRun the run's status document; the routes pass the read they share with the run's
 *   event streams, so a page open on the run costs no extra status query
 */
export async function listIterations(
  readRun: (runId: string, fresh?: boolean) => Promise<RunResource>,
  batches: BatchStatusReader,
  req: IterationsRequest,
): Promise<LoopIterationPage> {
  const offset = decodeOffset(req.pageToken);
  // The batches still running are asked for at once, not after the run's document: for a closed
  // run that costs one describe (no pending children), for a running one it saves a round trip.
  const live = batches.liveBatches(req.runId).catch(() => undefined);
  let run = await readRun(req.runId);
  const runningNow = (r: RunResource) => r.state === 'RUNNING' || r.state === 'PENDING';
  // A shared read from just before the run closed must not hide its last batches' summaries.
  if (runningNow(run) && (await live)?.open === false) run = await readRun(req.runId, true);
  const own = run.tasks.filter((t) => t.id === req.taskId);
  if (own.length === 0) throw notFound(`run ${req.runId} has no task "${req.taskId}" (yet)`);
  const summaries = own.filter((t) => t.batched);
  const byKey = new Map<string, TaskStatus>();
  for (const entry of own) if (!entry.batched && entry.iteration) byKey.set(keyOf(entry), entry);
  if (summaries.length === 0 && byKey.size === 0)
    throw invalidRequest(`task "${req.taskId}" of run ${req.runId} is not inside a loop`);

  // Batches still running are not in any summary yet: read them live, and count them one by one.
  const running = runningNow(run) ? ((await live)?.entries ?? []) : [];
  for (const entry of running)
    if (entry.id === req.taskId && !entry.batched && entry.iteration) byKey.set(keyOf(entry), entry);

  const counts = countStates(
    [...byKey.values()].filter((e) => !summaries.length || running.includes(e)),
    summaries,
  );
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const matching = req.state ? (counts[req.state] ?? 0) : total;
  const wanted = offset + req.pageSize;
  const matches = (e: TaskStatus) => !req.state || e.state === req.state;

  // Failed and cancelled iterations of batches are in the run's document already; others are read batch by batch.
  const needsBatches = req.state !== 'failed' && req.state !== 'cancelled';
  if (needsBatches) {
    const ids = [...new Set(summaries.flatMap((s) => s.batched?.childWorkflowIds ?? []))].sort(naturalOrder);
    for (const id of ids) {
      if ([...byKey.values()].filter(matches).length > wanted) break;
      for (const entry of await batches.closedBatch(id))
        if (entry.id === req.taskId && !entry.batched && entry.iteration) byKey.set(keyOf(entry), entry);
    }
  }
  const listed = [...byKey.values()].filter(matches).sort(compareIterations);
  const page = listed.slice(offset, wanted);
  const more = offset + page.length < Math.max(matching, listed.length);
  return {
    runId: req.runId,
    taskId: req.taskId,
    total: Math.max(total, byKey.size),
    counts,
    matching: Math.max(matching, listed.length),
    iterations: page,
    ...(more && page.length > 0 ? { nextPageToken: encodeOffset(wanted) } : {}),
  };
}
