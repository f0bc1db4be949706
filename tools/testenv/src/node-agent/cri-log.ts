// Container logs in the CRI format the kubelet reads ("<RFC3339Nano> <stream> <P|F> <text>"),
// so `timestamps=true`, `sinceSeconds` and `tailLines` can be answered like a real node.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';

export interface LogLine {
  time: string;
  stream: 'stdout' | 'stderr';
  /** F = the line ended with a newline; P = partial (flushed at exit or at 16 KiB). */
  tag: 'F' | 'P';
  text: string;
}

const MAX_LINE = 16 * 1024;

/** RFC3339 with nanoseconds, as containerd writes them (sub-millisecond digits from the monotonic clock). */
export function criTimestamp(date?: Date): string {
  const ms = date ? date.getTime() : performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  const nanos = Math.floor((ms - whole) * 1e6)
    .toString()
    .padStart(6, '0');
  return new Date(whole).toISOString().replace(/Z$/, `${nanos}Z`);
}

export class CriLogWriter {
  private readonly out: WriteStream;
  private readonly pending = new Map<string, string>();
  private open = 0;
  private readonly finished: Promise<void>;
  private resolveFinished!: () => void;

  constructor(file: string) {
    this.out = createWriteStream(file, { flags: 'a' });
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  attach(stream: Readable, name: 'stdout' | 'stderr'): void {
    this.open++;
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => this.write(name, chunk));
    stream.on('close', () => {
      const rest = this.pending.get(name);
      if (rest) this.emit(name, 'P', rest);
      this.pending.delete(name);
      if (--this.open === 0) this.out.end(() => this.resolveFinished());
    });
  }

  /** Resolves once both streams closed and every line is on disk. */
  done(): Promise<void> {
    if (this.open === 0) this.out.end(() => this.resolveFinished());
    return this.finished;
  }

  private write(name: 'stdout' | 'stderr', chunk: string): void {
    let buf = (this.pending.get(name) ?? '') + chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      this.emit(name, 'F', buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    while (buf.length >= MAX_LINE) {
      this.emit(name, 'P', buf.slice(0, MAX_LINE));
      buf = buf.slice(MAX_LINE);
    }
    this.pending.set(name, buf);
  }

  private emit(name: string, tag: 'F' | 'P', text: string): void {
    this.out.write(`${criTimestamp()} ${name} ${tag} ${text}\n`);
  }
}

export function parseCriLine(line: string): LogLine | undefined {
  const m = /^(\S+) (stdout|stderr) ([PF]) (.*)$/s.exec(line);
  if (!m) return undefined;
  return { time: m[1] ?? '', stream: m[2] as 'stdout' | 'stderr', tag: m[3] as 'F' | 'P', text: m[4] ?? '' };
}

/** How a parsed line is shown to the client: the text, its newline unless partial, optional timestamp. */
export function renderLine(line: LogLine, timestamps: boolean): string {
  return (timestamps ? `${line.time} ` : '') + line.text + (line.tag === 'F' ? '\n' : '');
}
