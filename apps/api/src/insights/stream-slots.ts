/**
 * Caps on open run event streams, in all and per token: each open stream reads its run once a
 * second for up to an hour, so without a cap one token could hold thousands open and load Temporal
 * (and the API's sockets) without end. Over a cap the request is a 429 before anything is read.
 */
import { ApiError } from '../errors';

/** Open run event streams in all, and of one token, unless the settings say otherwise. */
export const defaultEventStreams = 256;
export const defaultEventStreamsPerToken = 32;

export interface StreamCaps {
  /** Open streams in all. */
  total: number;
  /** Open streams of one token (by its name). */
  perToken: number;
}

export class StreamSlots {
  private open = 0;
  private readonly byToken = new Map<string, number>();

  constructor(private readonly caps: StreamCaps) {}

  /**
   * Takes a slot for `token`, or throws a 429 naming the cap and its setting; the returned function
   * gives the slot back (call it once, when the stream closes).
   *
   * @example
   * ```ts
   * const release = slots.acquire(request.principal?.name ?? 'anonymous');
   * reply.raw.once('close', release);
   * ```
   */
  acquire(token: string): () => void {
    const mine = this.byToken.get(token) ?? 0;
    if (mine >= this.caps.perToken)
      throw new ApiError(
        429,
        'too-many-requests',
        `token "${token}" already has ${mine} run event streams open, the most one token may (KILN_API_MAX_EVENT_STREAMS_PER_TOKEN); close one or read GET /runs/:runId instead`,
        { limit: 'eventStreamsPerToken', max: this.caps.perToken },
      );
    if (this.open >= this.caps.total)
      throw new ApiError(
        429,
        'too-many-requests',
        `${this.open} run event streams are open, the most this API serves (KILN_API_MAX_EVENT_STREAMS); try again later or read GET /runs/:runId instead`,
        { limit: 'eventStreams', max: this.caps.total },
      );
    this.open++;
    this.byToken.set(token, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open--;
      const left = (this.byToken.get(token) ?? 1) - 1;
      if (left > 0) this.byToken.set(token, left);
      else this.byToken.delete(token);
    };
  }
}
