/** A step's log as the client hands it out: an async iterable of UTF-8 chunks, with a line view. */
import type { StepLog } from './resources';

/**
 * Wraps a chunk source (read once) as a {@link StepLog}.
 *
 * @example
 * ```ts
 * const log = stepLog(1, 'saved', (async function* () { yield 'a\nb'; yield 'c\n'; })());
 * for await (const line of log.lines()) console.log(line); // 'a', 'bc'
 * ```
 */
export function stepLog(attempt: number, source: StepLog['source'], chunks: AsyncIterable<string>): StepLog {
  async function* lines(): AsyncGenerator<string> {
    let pending = '';
    for await (const chunk of chunks) {
      pending += chunk;
      let newline;
      while ((newline = pending.indexOf('\n')) >= 0) {
        yield pending.slice(0, newline);
        pending = pending.slice(newline + 1);
      }
    }
    if (pending) yield pending;
  }
  return {
    attempt,
    source,
    chunks,
    lines,
    [Symbol.asyncIterator]: () => chunks[Symbol.asyncIterator](),
  };
}

/** UTF-8 text of a byte stream, chunk by chunk (characters split across chunks are joined). */
export async function* utf8Chunks(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
