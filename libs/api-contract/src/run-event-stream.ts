/**
 * Reading `GET /runs/:runId/events` (server-sent events) on the client side: split the byte
 * stream into `event:`/`data:` blocks and check each block's data against {@link runEventSchemas}.
 * Shared by the typed client and the web UI, which wrap a contract breach in their own error type.
 */
import { runEventSchemas, type RunEvent, type RunEventName } from './run-insights';

/** A run event whose data breaks the API contract; the message names the event and the problem. */
export class RunEventContractError extends Error {
  override readonly name = 'RunEventContractError';
}

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

/**
 * One `event:`/`data:` block as a checked {@link RunEvent}; comments (keep-alives) and unknown
 * events give undefined, data that breaks the contract throws a {@link RunEventContractError}.
 *
 * @example
 * ```ts
 * parseRunEventBlock('event: end\ndata: {"state":"SUCCEEDED","reason":"ended"}'); // { event: 'end', data: {...} }
 * ```
 */
export function parseRunEventBlock(block: string): RunEvent | undefined {
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
    throw new RunEventContractError(`run event "${name}" does not match the API contract: ${problem}`);
  }
}

/**
 * The events of an event-stream body as they arrive; ends when the server closes the stream.
 * Uses the stream's reader (not async iteration, which not every browser has on fetch bodies).
 *
 * @example
 * ```ts
 * for await (const e of readRunEventStream(response.body!)) if (e.event === 'tasks') console.log(e.data.tasks.length);
 * ```
 */
export async function* readRunEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<RunEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        const event = parseRunEventBlock(buffered.slice(0, end));
        buffered = buffered.slice(end + 2);
        if (event) yield event;
        end = buffered.indexOf('\n\n');
      }
    }
  } finally {
    reader.releaseLock();
  }
}
