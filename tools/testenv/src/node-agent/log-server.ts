// The kubelet's HTTPS endpoint for what the API server proxies: container logs
// (`kubectl logs`, pods/log) and /healthz. The API server authenticates with a
// client certificate; any client is accepted since this only listens on loopback.
import { open, readFile } from 'node:fs/promises';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type LogLine, parseCriLine, renderLine } from './cri-log.js';
import { errorMessage, sleep } from './kube.js';

export interface LogSource {
  file: string;
  /** True while the container attempt is still writing this file. */
  live: () => boolean;
}

export type LogLookup = (
  namespace: string,
  pod: string,
  container: string,
  previous: boolean,
) => LogSource | { status: number; message: string };

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  since?: Date;
}

export function parseLogOptions(params: URLSearchParams, now = new Date()): LogOptions {
  const num = (name: string): number | undefined => {
    const v = params.get(name);
    return v === null || v === '' ? undefined : Number(v);
  };
  const sinceSeconds = num('sinceSeconds');
  const sinceTime = params.get('sinceTime');
  return {
    follow: params.get('follow') === 'true',
    previous: params.get('previous') === 'true',
    timestamps: params.get('timestamps') === 'true',
    tailLines: num('tailLines'),
    limitBytes: num('limitBytes'),
    since:
      sinceSeconds !== undefined
        ? new Date(now.getTime() - sinceSeconds * 1000)
        : sinceTime
          ? new Date(sinceTime)
          : undefined,
  };
}

/** Lines of a finished (or not yet followed) log after since/tailLines filtering. */
export function selectLines(content: string, opts: Pick<LogOptions, 'since' | 'tailLines'>): LogLine[] {
  let lines = content
    .split('\n')
    .filter((l) => l.length > 0)
    .map(parseCriLine)
    .filter((l): l is LogLine => l !== undefined);
  if (opts.since) {
    const since = opts.since.getTime();
    lines = lines.filter((l) => new Date(l.time).getTime() >= since);
  }
  if (opts.tailLines !== undefined && opts.tailLines >= 0)
    lines = opts.tailLines === 0 ? [] : lines.slice(-opts.tailLines);
  return lines;
}

export function startLogServer(o: {
  cert: Buffer;
  key: Buffer;
  port: number;
  lookup: LogLookup;
  log: Logger;
}): Promise<https.Server> {
  const server = https.createServer(
    { cert: o.cert, key: o.key, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      handle(req, res, o.lookup).catch((err: unknown) => {
        o.log.warn({ err: errorMessage(err), url: req.url }, 'log request failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`internal error: ${errorMessage(err)}\n`);
      });
    },
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve(server));
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, lookup: LogLookup): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    return;
  }
  const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
  if (!m || req.method !== 'GET') {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n');
    return;
  }
  const [namespace, pod, container] = [m[1], m[2], m[3]].map((s) => decodeURIComponent(s ?? ''));
  const opts = parseLogOptions(url.searchParams);
  const source = lookup(namespace ?? '', pod ?? '', container ?? '', opts.previous);
  if ('status' in source) {
    res.writeHead(source.status, { 'Content-Type': 'text/plain' }).end(source.message);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  await streamLog(res, source, opts);
}

async function streamLog(res: ServerResponse, source: LogSource, opts: LogOptions): Promise<void> {
  let closed = false;
  res.on('close', () => (closed = true));
  let budget = opts.limitBytes ?? Infinity;
  // Returns false once limitBytes is used up.
  const emit = (text: string): boolean => {
    if (budget <= 0) return false;
    let buf = Buffer.from(text);
    if (buf.length > budget) buf = buf.subarray(0, budget);
    budget -= buf.length;
    res.write(buf);
    return budget > 0;
  };

  const content = await readFile(source.file).catch(() => Buffer.alloc(0));
  let position = content.length;
  for (const line of selectLines(content.toString('utf8'), opts)) {
    if (!emit(renderLine(line, opts.timestamps))) return void res.end();
  }
  if (!opts.follow) return void res.end();

  // The file may not exist yet right after the container started: keep trying to open it.
  let handle = await open(source.file, 'r').catch(() => undefined);
  let rest = '';
  try {
    for (;;) {
      if (closed) return;
      const wasLive = source.live();
      handle ??= await open(source.file, 'r').catch(() => undefined);
      if (handle) {
        const { size } = await handle.stat();
        if (size > position) {
          const chunk = Buffer.alloc(size - position);
          await handle.read(chunk, 0, chunk.length, position);
          position = size;
          const text = rest + chunk.toString('utf8');
          const cut = text.lastIndexOf('\n');
          rest = text.slice(cut + 1);
          for (const raw of text.slice(0, cut + 1).split('\n')) {
            const line = raw ? parseCriLine(raw) : undefined;
            if (line && !(opts.since && new Date(line.time) < opts.since) && !emit(renderLine(line, opts.timestamps)))
              return;
          }
          continue;
        }
      }
      // Only stop after a read that started when the writer had already finished.
      if (!wasLive) return;
      await sleep(100);
    }
  } finally {
    await handle?.close();
    res.end();
  }
}
