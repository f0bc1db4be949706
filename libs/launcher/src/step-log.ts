/**
 * The log of a step the launcher runs in one go: a file in the work folder that
 * the command writes to and the launcher notes into (`[kiln] …` lines), sent to
 * the store in live chunks while the step runs, and saved whole when it ends,
 * whichever way. A log that cannot be written fails the step as an
 * infrastructure error; it never crashes the process the launcher runs in.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { ArtifactStore } from '@kiln/artifacts';
import { LaunchError } from './errors';
import type { WorkLayout } from './layout';
import { LiveLog } from './live-log';
import { LogCap, defaultLogCapBytes } from './log-cap';
import { readLogTail } from './log-tail';
import type { LogListener, LogSink } from './process';

export interface StepLogOptions {
  store: ArtifactStore;
  layout: WorkLayout;
  executionKey: string;
  /** Where the whole log is saved in the store. */
  storeKey: string;
  /** How often live chunks are sent; `false` sends none. */
  liveLogIntervalMs?: number | false;
  onLog?: LogListener;
  /** The cap on the command's output in this attempt's log (head and tail kept). Default 16 MiB. */
  logCapBytes?: number;
}

/**
 * @example
 * ```ts
 * const log = await StepLog.open({ store, layout, executionKey, storeKey: stepLogKey(executionKey) });
 * log.say('running');
 * await runStepCommand(argv, { log: log.stream, ... });
 * await log.saveSucceeded();
 * ```
 */
export class StepLog {
  private writeError: Error | undefined;
  private live: LiveLog | undefined;
  private readonly cap: LogCap;

  private constructor(
    private readonly options: StepLogOptions,
    /** The file's stream, for the command's output. */
    readonly stream: WriteStream,
  ) {
    // The launcher may run inside the worker: a log that cannot be written (full disk, too many open
    // files, the folder gone) must fail this step as an infrastructure error, never crash the process.
    stream.on('error', (error) => {
      this.writeError ??= error;
    });
    this.cap = new LogCap((chunk) => {
      if (stream.writable) stream.write(chunk);
    }, options.logCapBytes ?? defaultLogCapBytes);
  }

  /** Where the command's stdout and stderr go: the log file, through the per-attempt cap. */
  get commandOutput(): LogSink {
    return this.cap;
  }

  /** The command has ended: its kept tail goes into the log, behind a marker of what was dropped. */
  endCommandOutput(): void {
    this.cap.finish();
  }

  /** Creates the work folder, opens the log file and starts sending live chunks. */
  static async open(options: StepLogOptions): Promise<StepLog> {
    await mkdir(options.layout.root, { recursive: true });
    const log = new StepLog(options, createWriteStream(options.layout.logFile, { flags: 'a' }));
    if (options.liveLogIntervalMs !== false) {
      log.live = new LiveLog({
        store: options.store,
        executionKey: options.executionKey,
        file: options.layout.logFile,
        intervalMs: options.liveLogIntervalMs,
        // Into the step's own log, where someone following it sees why it went quiet; never after it is closed.
        onTrouble: (message) => log.stream.writable && log.say(message),
      });
      log.live.start();
    }
    return log;
  }

  /** The URI the whole log is saved at. */
  get uri(): string {
    return this.options.store.uriFor(this.options.storeKey);
  }

  /** A launcher line, into the log and to the listener. */
  say(line: string): void {
    if (this.stream.writable) this.stream.write(`[kiln] ${line}\n`);
    this.options.onLog?.(`[kiln] ${line}`, 'launcher');
  }

  /** Throws an infrastructure failure if the log file could not be written. */
  check(): void {
    if (!this.writeError) return;
    throw new LaunchError(
      'infrastructure',
      'LogWriteFailed',
      `cannot write the step log ${this.options.layout.logFile}: ${this.writeError.message}`,
      { cause: this.writeError },
    );
  }

  /** Saves the whole log of a step that succeeded; its live chunks go once it is saved. */
  async saveSucceeded(): Promise<void> {
    // No chunk may land after the saved log: readers switch to it once it exists.
    await this.live?.stop();
    await this.close();
    this.check();
    await this.options.store.putPath(this.options.storeKey, this.options.layout.logFile);
    await this.live?.discard();
  }

  /**
   * Notes the failure in the log and saves it as far as that works, putting the log's tail and URI on
   * `failure`: the failure itself matters more than its log, so nothing here throws.
   */
  async saveFailed(failure: LaunchError): Promise<void> {
    await this.live?.stop();
    if (this.stream.writable) {
      this.stream.write(`[kiln] step failed (${failure.failureType}, ${failure.reason}): ${failure.message}\n`);
    }
    await this.close();
    // An unreadable log must not hide the failure itself.
    const tail = await readLogTail(this.options.layout.logFile).catch(() => undefined);
    if (tail !== undefined) failure.logTail = tail;
    try {
      await this.options.store.putPath(this.options.storeKey, this.options.layout.logFile);
      failure.logUri = this.uri;
      await this.live?.discard();
    } catch {
      // The tail still travels in the error.
    }
  }

  /** Ends the stream; settles also when the stream has failed or is already closed. */
  private close(): Promise<void> {
    this.endCommandOutput();
    const log = this.stream;
    if (log.destroyed || log.closed) return Promise.resolve();
    return new Promise((resolvePromise) => {
      log.once('error', () => resolvePromise());
      log.end(() => resolvePromise());
    });
  }
}
