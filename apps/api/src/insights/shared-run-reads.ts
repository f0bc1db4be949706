/**
 * Reads of a run shared by every event stream that watches it: streams of one run ask at the same
 * pace, so a read that is in flight, or younger than `maxAgeMs`, answers all of them. A hundred
 * browser tabs on one run cost Temporal one query a second, not a hundred.
 */
import type { RunResource } from '@kiln/api-contract';

interface Entry {
  at: number;
  read: Promise<RunResource>;
}

export class SharedRunReads {
  private readonly entries = new Map<string, Entry>();

  /**
   * @param readRun the real read (`getRun`)
   * @param maxAgeMs how old a finished read may be and still answer
   */
  constructor(
    private readonly readRun: (runId: string) => Promise<RunResource>,
    private readonly maxAgeMs: number,
  ) {}

  /**
   * The run, from a read in flight or a recent one, else a new read. A failed read is not kept.
   *
   * @example
   * ```ts
   * const reads = new SharedRunReads((id) => getRun(deps, id), 500);
   * const run = await reads.read('kiln-training-01jd');
   * ```
   */
  read(runId: string): Promise<RunResource> {
    const entry = this.entries.get(runId);
    if (entry && Date.now() - entry.at < this.maxAgeMs) return entry.read;
    return this.readFresh(runId);
  }

  /** A new read whatever is kept (a caller that knows the kept one is out of date); it is kept in turn. */
  readFresh(runId: string): Promise<RunResource> {
    const now = Date.now();
    const read = this.readRun(runId);
    this.entries.set(runId, { at: now, read });
    read.catch(() => {
      if (this.entries.get(runId)?.read === read) this.entries.delete(runId);
    });
    this.prune(now);
    return read;
  }

  /** Forgets reads too old to answer, so runs nobody watches any more do not stay in memory. */
  private prune(now: number): void {
    for (const [runId, entry] of this.entries) if (now - entry.at >= this.maxAgeMs) this.entries.delete(runId);
  }
}
