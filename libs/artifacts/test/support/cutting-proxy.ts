/**
 * A TCP proxy in front of the test MinIO that loses connections on purpose: a response to a ranged
 * GET starting at a chosen byte is cut off after some bytes, the way a dropped connection or a
 * load balancer's reset ends it. MinIO itself cannot be made to do this to one request, so the
 * fault is in the network between, and everything else is the real server.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface CutRule {
  /** Cut responses to GETs whose `Range` starts at this byte (or, with `rangeEnd`, anywhere up to it: resumed reads too). */
  rangeStart: number;
  rangeEnd?: number;
  /** How many such responses to cut; `Infinity` for all of them. */
  times: number;
  /** Response bytes let through before the cut. */
  afterBytes: number;
}

export interface CuttingProxy {
  /** `http://127.0.0.1:<port>`, to use as the store's endpoint. */
  endpoint: string;
  /** The `Range` header of every request seen, in order (`''` for none). */
  ranges: string[];
  /** Connections cut so far. */
  cuts: number;
  close(): Promise<void>;
}

/**
 * @example
 * ```ts
 * const proxy = await startCuttingProxy(minio.endpoint, { rangeStart: 5 * MiB, times: 1, afterBytes: MiB });
 * const store = new S3ArtifactStore(url, { ...options, endpoint: proxy.endpoint });
 * ```
 */
export async function startCuttingProxy(upstream: string, rule: CutRule): Promise<CuttingProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const state: CuttingProxy = { endpoint: '', ranges: [], cuts: 0, close: async () => undefined };
  const server: Server = createServer((client) => {
    const server = connect(Number(target.port), target.hostname);
    sockets.add(client).add(server);
    let cutAfter: number | undefined;
    let head = '';
    client.on('data', (data: Buffer) => {
      head += data.toString('latin1');
      // Request heads only (GET bodies are empty); look at each complete one.
      for (let end = head.indexOf('\r\n\r\n'); end >= 0; end = head.indexOf('\r\n\r\n')) {
        const request = head.slice(0, end);
        head = head.slice(end + 4);
        if (!/^[A-Z]+ /.test(request)) continue;
        const range = /\r\nrange: *bytes=(\d+)-/i.exec(request);
        state.ranges.push(range ? (/\r\nrange: *([^\r]*)/i.exec(request)?.[1] ?? '') : '');
        const from = Number(range?.[1]);
        const hit =
          rule.rangeEnd === undefined ? from === rule.rangeStart : from >= rule.rangeStart && from <= rule.rangeEnd;
        if (range && hit && state.cuts < rule.times) {
          state.cuts++;
          cutAfter = rule.afterBytes;
        }
      }
      server.write(data);
    });
    server.on('data', (data: Buffer) => {
      if (cutAfter === undefined) {
        client.write(data);
        return;
      }
      client.write(data.subarray(0, Math.max(0, cutAfter)));
      cutAfter -= data.length;
      if (cutAfter <= 0) {
        client.destroy();
        server.destroy();
      }
    });
    const drop = () => {
      client.destroy();
      server.destroy();
      sockets.delete(client);
      sockets.delete(server);
    };
    client.on('error', drop).on('close', drop);
    server.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  state.endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
