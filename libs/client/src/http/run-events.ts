/**
 * Reads a run's server-sent events (`GET /runs/:runId/events`): splits the
 * stream into events and checks each one's data against the contract.
 */
import { runEventSchemas, type RunEvent, type RunEventName } from '@kiln/api-contract';
import { KilnApiError } from '../errors';

const isEventName = (name: string): name is RunEventName => Object.hasOwn(runEventSchemas, name);

/** The data of event `name`, checked against its schema. */
function checked(name: RunEventName, json: unknown): RunEvent {
  switch (name) {
    case 'snapshot':
      return { event: name, data: runEventSchemas.snapshot.parse(json) };
    case 'tasks':
      return { event: name, data: runEventSchemas.tasks.parse(json) };
    case 'run':
      return { event: name, data: runEventSchemas.run.parse(json) };
    case 'end':
      return { event: name, data: runEventSchemas.end.parse(json) };
  }
}

/** One `event:`/`data:` block as a checked {@link RunEvent}; comments and unknown events give undefined. */
export function parseEventBlock(block: string): RunEvent | undefined {
  let name = '';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (!isEventName(name) || data.length === 0) return undefined;
  try {
    return checked(name, JSON.parse(data.join('\n')));
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    throw new KilnApiError(0, 'unsupported', `run event "${name}" does not match the API contract: ${problem}`);
  }
}

/**
 * The events of an event-stream body, as they arrive; ends when the server closes the stream.
 *
 * @example
 * ```ts
 * for await (const e of readRunEvents(response.body!)) if (e.event === 'tasks') console.log(e.data.tasks.length);
 * ```
 */
export async function* readRunEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<RunEvent> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, '\n');
    let end = buffered.indexOf('\n\n');
    while (end >= 0) {
      const event = parseEventBlock(buffered.slice(0, end));
      buffered = buffered.slice(end + 2);
      if (event) yield event;
      end = buffered.indexOf('\n\n');
    }
  }
}
