/**
 * A step's log while it runs: every second or so, what the local log file grew
 * by is put into the store as the next numbered chunk,
 * `executions/<executionKey>/log.live/00000001`, `…/00000002`, … (`liveLogChunkKey`
 * of `@kiln/store-layout`), so that
 * `kiln runs logs --follow` (the API's store path, apps/api/src/runs/logs.ts)
 * shows a step's lines before its whole log is saved as `log.txt` at the end.
 *
 * Chunk n holds the bytes of the log file that follow chunk n-1, so the chunks
 * in order are always a prefix of the saved log: a reader that has read chunks
 * 1..n needs only the saved log past their total length. Chunks are written one
 * at a time in order (no gaps, no duplicates); a chunk that fails to upload is
 * tried again on the next tick with exactly the same bytes, so a reader that
 * saw a half-failed put never sees different bytes under the same number.
 */
import { open, stat } from 'node:fs/promises';
import type { ArtifactStore } from '@kiln/artifacts';
import { liveLogChunkKey, liveLogPrefix, maxLiveLogChunk } from '@kiln/store-layout';

export interface LiveLogOptions {
  store: ArtifactStore;
  executionKey: string;
  /** The step's local log file, appended to while the step runs. */
  file: string;
  /** How often the file is checked for growth. Default 1000 ms. */
  intervalMs?: number;
  /** The most bytes one chunk holds; a log that grew by more is sent as several chunks. Default 4 MiB. */
  maxChunkBytes?: number;
  /**
   * Told when chunks stop reaching the store (once until one gets through again).
   * The step goes on; its whole log is still saved at the end.
   */
  onTrouble?: (message: string) => void;
}

/**
 * Flushes a growing log file to the store as live chunks, from {@link start}
 * until {@link stop}; {@link discard} removes the chunks once the whole log is
 * saved. Memory stays bounded: only the bytes of the next chunk are held.
 *
 * @example
 * ```ts
 * const live = new LiveLog({ store, executionKey: request.executionKey, file: layout.logFile });
 * live.start();
 * await runTheCommand();
 * await live.stop();
 * await store.putPath(stepLogKey(request.executionKey), layout.logFile);
 * await live.discard();
 * ```
 */
export class LiveLog {
  /** Bytes of the file already stored as chunks. */
  private offset = 0;
  /** Chunks stored so far; the next one is `written + 1`. */
  private written = 0;
  /** The next chunk's bytes once read, kept until stored so a retry sends the same ones. */
  private pending: Buffer | undefined;
  /** Whether chunks of an earlier try of this attempt have been looked for (and removed). */
  private swept = false;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private stopped = false;
  private troubled = false;
  private readonly intervalMs: number;
  private readonly maxChunkBytes: number;

  constructor(private readonly options: LiveLogOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.maxChunkBytes = options.maxChunkBytes ?? 4 * 1024 * 1024;
    if (!(this.intervalMs > 0))
      throw new RangeError(`LiveLog intervalMs must be a positive number of ms, got ${this.intervalMs}`);
    if (!Number.isInteger(this.maxChunkBytes) || this.maxChunkBytes < 1) {
      throw new RangeError(`LiveLog maxChunkBytes must be a positive integer, got ${this.maxChunkBytes}`);
    }
  }

  /** The number of chunks stored so far. */
  get chunks(): number {
    return this.written;
  }

  /** Starts checking the file every `intervalMs`. */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    // Never the reason a process stays up.
    this.timer.unref();
  }

  /**
   * Stops flushing and waits for a chunk being stored, so that nothing is
   * written under the prefix afterwards. What the file grew by since the last
   * chunk is not sent: the saved log carries it.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.flushing;
  }

  /**
   * Removes the chunks, once the whole log is saved (readers then read that).
   * Call after {@link stop}. Failing to remove them is not an error: leftover
   * chunks are a prefix of the saved log, and readers prefer the saved log.
   */
  async discard(): Promise<void> {
    if (!this.stopped) throw new Error('LiveLog.discard() before stop(): a chunk could still be written after it');
    if (this.written === 0) return;
    await this.deleteAll().catch(() => undefined);
  }

  private tick(): void {
    if (this.flushing || this.stopped) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
    });
  }

  /** Stores what the file grew by since the last chunk, as one or more chunks. Never throws. */
  private async flush(): Promise<void> {
    try {
      const size = await this.fileSize();
      if (this.pending === undefined && size <= this.offset) return;
      if (!this.swept) await this.sweepEarlierTry();
      while (!this.stopped) {
        if (this.pending === undefined) {
          if (size <= this.offset) break;
          this.pending = await this.read(this.offset, Math.min(size - this.offset, this.maxChunkBytes));
          if (this.pending.length === 0) {
            this.pending = undefined;
            break;
          }
        }
        const n = this.written + 1;
        if (n > maxLiveLogChunk) return; // ~3 years of chunks a second: the saved log still has it all
        await this.options.store.put(liveLogChunkKey(this.options.executionKey, n), this.pending);
        this.written = n;
        this.offset += this.pending.length;
        this.pending = undefined;
        this.troubled = false;
      }
    } catch (error) {
      if (this.troubled) return;
      this.troubled = true;
      this.options.onTrouble?.(
        `live log: chunk ${this.written + 1} did not reach the store (${(error as Error).message ?? String(error)}); trying again every ${this.intervalMs} ms, and the whole log is saved when the step ends`,
      );
    }
  }

  /**
   * Chunks left by an earlier try of this same attempt (a worker that died
   * mid-step) would mix with this try's under the same numbers: remove them
   * before the first chunk.
   */
  private async sweepEarlierTry(): Promise<void> {
    const keys = this.options.store.list(liveLogPrefix(this.options.executionKey))[Symbol.asyncIterator]();
    const first = await keys.next();
    await keys.return?.();
    if (!first.done) await this.deleteAll();
    this.swept = true;
  }

  /** Deletes the whole prefix at once (one listing, batched deletes), however many chunks a long step wrote. */
  private deleteAll(): Promise<void> {
    return this.options.store.delete(liveLogPrefix(this.options.executionKey).slice(0, -1));
  }

  private async fileSize(): Promise<number> {
    try {
      return (await stat(this.options.file)).size;
    } catch (error) {
      // Not created yet: nothing to send.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  }

  private async read(position: number, length: number): Promise<Buffer> {
    const handle = await open(this.options.file, 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}
