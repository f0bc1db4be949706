/**
 * A per-attempt cap on a step's log: a step that writes 200 MB must not store
 * (and have the API serve) 200 MB. The first half of the cap is written as it
 * arrives; past that, only the last half is kept, in memory, and written when
 * the command ends behind a marker saying how many bytes were dropped. The
 * beginning (what the step set out to do) and the end (how it failed) are what
 * a reader needs.
 */

/** The default cap: 16 MiB per attempt. */
export const defaultLogCapBytes = 16 * 1024 * 1024;

/** Throws a RangeError naming `where` unless `capBytes` is a whole number of at least 2 bytes. */
export function checkLogCap(capBytes: number, where: string): number {
  if (!Number.isSafeInteger(capBytes) || capBytes < 2) {
    throw new RangeError(`${where} must be a whole number of bytes, at least 2, got ${String(capBytes)}`);
  }
  return capBytes;
}

/**
 * @example
 * ```ts
 * const cap = new LogCap((chunk) => file.write(chunk), 16 * 1024 * 1024);
 * child.stdout.on('data', (chunk: Buffer) => cap.write(chunk));
 * child.on('close', () => cap.finish()); // the kept tail, behind "[kiln] … N bytes dropped …"
 * ```
 */
export class LogCap {
  private readonly headBytes: number;
  private readonly tailBytes: number;
  private headWritten = 0;
  private readonly tail: Buffer[] = [];
  private tailLength = 0;
  private droppedBytes = 0;
  private finished = false;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    readonly capBytes: number = defaultLogCapBytes,
  ) {
    checkLogCap(capBytes, 'the log cap');
    this.headBytes = Math.floor(capBytes / 2);
    this.tailBytes = capBytes - this.headBytes;
  }

  /** Bytes dropped so far (between the kept head and tail). */
  get dropped(): number {
    return this.droppedBytes;
  }

  write(data: Buffer | string): void {
    let chunk = typeof data === 'string' ? Buffer.from(data) : data;
    if (this.finished) return;
    if (this.headWritten < this.headBytes) {
      const take = Math.min(chunk.length, this.headBytes - this.headWritten);
      this.sink(chunk.subarray(0, take));
      this.headWritten += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
      this.sink(
        Buffer.from(
          `\n[kiln] the log reached half its cap of ${this.capBytes} bytes: further output is held back, and its last ${this.tailBytes} bytes follow when the command ends\n`,
        ),
      );
    }
    this.keepInTail(chunk);
  }

  /** Writes the kept tail, behind a marker of what was dropped. Later writes are ignored. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.droppedBytes > 0) {
      this.sink(
        Buffer.from(
          `[kiln] … ${this.droppedBytes} bytes of output dropped here (the log is capped at ${this.capBytes} bytes per attempt: its first ${this.headBytes} and last ${this.tailBytes} bytes are kept) …\n`,
        ),
      );
    }
    for (const chunk of this.tail) this.sink(chunk);
    // What is written after the command (the launcher's own lines) starts on a line of its own.
    const last = this.tail[this.tail.length - 1];
    if (this.droppedBytes > 0 && last !== undefined && last[last.length - 1] !== 0x0a) this.sink(Buffer.from('\n'));
    this.tail.length = 0;
  }

  private keepInTail(chunk: Buffer): void {
    this.tail.push(chunk);
    this.tailLength += chunk.length;
    while (this.tailLength > this.tailBytes) {
      const first = this.tail[0] as Buffer;
      const excess = this.tailLength - this.tailBytes;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailLength -= first.length;
        this.droppedBytes += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailLength -= excess;
        this.droppedBytes += excess;
      }
    }
  }
}
