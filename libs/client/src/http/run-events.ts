/**
 * Reads a run's server-sent events (`GET /runs/:runId/events`) with the contract's stream reader;
 * data that breaks the contract becomes a {@link KilnApiError}.
 */
import { readRunEventStream, RunEventContractError, type RunEvent } from '@kiln/api-contract';
import { KilnApiError } from '../errors';

/**
 * The events of an event-stream body, as they arrive; ends when the server closes the stream.
 *
 * @example
 * ```ts
 * for await (const e of readRunEvents(response.body!)) if (e.event === 'tasks') console.log(e.data.tasks.length);
 * ```
 */
export async function* readRunEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<RunEvent> {
  try {
    yield* readRunEventStream(body);
  } catch (error) {
    if (error instanceof RunEventContractError) throw new KilnApiError(0, 'unsupported', error.message);
    throw error;
  }
}
