/**
 * A run's live stream of task-state changes (`GET /runs/:runId/events`), read
 * with `fetch` so the bearer token goes in a header: `EventSource` cannot send
 * one, and the token never goes into a URL. Each event is checked against the
 * API contract's `runEventSchemas` and folded into the run resource the pages read.
 */
import { parseRunEventBlock, readRunEventStream, RunEventContractError, type RunEvent } from '@kiln/api-contract';
import type { TaskStatus } from '@kiln/engine-contract';
import { ApiError } from './errors';
import { send } from './http';
import { runResourceSchema, type RunResource } from './wire';

/** A contract breach as the UI's {@link ApiError}; other errors as they are. */
function asApiError(error: unknown): unknown {
  return error instanceof RunEventContractError ? new ApiError(0, 'bad-response', error.message) : error;
}

/**
 * One `event:`/`data:` block as a checked {@link RunEvent}; comments (keep-alives) and unknown
 * events give undefined, data that breaks the contract throws an {@link ApiError} naming the event.
 *
 * @example
 * ```ts
 * parseEventBlock('event: end\ndata: {"state":"SUCCEEDED","reason":"ended"}'); // { event: 'end', data: {...} }
 * ```
 */
export function parseEventBlock(block: string): RunEvent | undefined {
  try {
    return parseRunEventBlock(block);
  } catch (error) {
    throw asApiError(error);
  }
}

/** The events of an event-stream body as they arrive; ends when the server closes the stream. */
export async function* readRunEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<RunEvent> {
  try {
    yield* readRunEventStream(body);
  } catch (error) {
    throw asApiError(error);
  }
}

/** How the API tells task entries apart: a batch summary, or a task at one loop index. */
const entryKey = (t: TaskStatus) => (t.batched ? `${t.id}[batched]` : `${t.id}[${(t.iteration ?? []).join(',')}]`);

/**
 * The run after one event: a snapshot replaces it, `tasks` replaces the entries that changed
 * (new ones are appended), `run` sets its state. Pure; `end` changes nothing (the caller reads the
 * final document once more).
 *
 * @example
 * ```ts
 * const next = applyRunEvent(run, { event: 'run', data: { state: 'SUCCEEDED' } });
 * ```
 */
export function applyRunEvent(run: RunResource | undefined, event: RunEvent): RunResource | undefined {
  if (event.event === 'snapshot') return runResourceSchema.parse(event.data);
  if (!run) return run;
  if (event.event === 'tasks') {
    const changed = new Map(event.data.tasks.map((t) => [entryKey(t), t]));
    const tasks = run.tasks.map((t) => {
      const next = changed.get(entryKey(t));
      if (next) changed.delete(entryKey(t));
      return next ?? t;
    });
    return { ...run, tasks: [...tasks, ...changed.values()] };
  }
  if (event.event === 'run') {
    const { state, finishedAt, error } = event.data;
    return { ...run, state, ...(finishedAt ? { finishedAt } : {}), ...(error ? { error } : {}) };
  }
  return run;
}

/**
 * Opens the run's event stream and hands each event to `onEvent` until the run ends, the
 * stream closes, or `signal` aborts. Resolves with the `end` event's reason, or `closed` when
 * the server closed without one; rejects when the stream cannot be opened or breaks the contract.
 */
export async function streamRunEvents(
  runId: string,
  onEvent: (event: RunEvent) => void,
  signal: AbortSignal,
): Promise<'ended' | 'timeout' | 'closed'> {
  const response = await send(`/runs/${encodeURIComponent(runId)}/events`, { signal });
  if (!response.body) throw new ApiError(0, 'bad-response', 'the run event stream has no body');
  for await (const event of readRunEvents(response.body)) {
    onEvent(event);
    if (event.event === 'end') return event.data.reason;
  }
  return 'closed';
}
