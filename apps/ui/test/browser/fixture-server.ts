/**
 * A tiny HTTP server for the browser tests: the built UI under `/ui/` with the
 * CSP header the API will send, and the API's routes answering from recorded
 * fixtures (bearer token required, like apps/api). It records every API request
 * so tests can check the token went with each. The next stage swaps it for a
 * real `kiln dev`.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { contentSecurityPolicy } from '../../src/security/csp';
import { apiRoutes, type ApiAnswer } from './fixture-routes';
import { apiToken } from '../fixtures/api-fixtures';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorized: boolean;
}

export interface FixtureServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

async function serveUi(dist: string, path: string, response: ServerResponse): Promise<void> {
  const relative = normalize(decodeURIComponent(path.slice('/ui/'.length)));
  const asset = relative.startsWith('..') ? undefined : join(dist, relative);
  const isFile = asset !== undefined && relative !== '.' && (await stat(asset).catch(() => undefined))?.isFile();
  // Every other path under /ui/ is a page of the single-page app.
  const file = isFile ? asset : join(dist, 'index.html');
  response.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  response.end(await readFile(file));
}

function send(response: ServerResponse, answer: ApiAnswer): void {
  if (answer.kind === 'json') {
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(answer.body));
    return;
  }
  response.writeHead(answer.status, { 'content-type': answer.contentType, ...answer.headers });
  response.end(answer.body);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * @example
 * ```ts
 * const server = await startFixtureServer('apps/ui/dist');
 * await page.goto(`${server.url}/ui/runs`);
 * ```
 */
export async function startFixtureServer(dist: string): Promise<FixtureServer> {
  const requests: RecordedRequest[] = [];
  const routes = apiRoutes();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture');
    const handle = async () => {
      if (url.pathname === '/ui' || url.pathname.startsWith('/ui/')) {
        if (url.pathname === '/ui')
          return send(response, {
            kind: 'text',
            status: 301,
            contentType: 'text/plain',
            body: '',
            headers: { location: '/ui/' },
          });
        return serveUi(dist, url.pathname, response);
      }
      if (!/^\/(runs|pipelines|schedules)(\/|$)/.test(url.pathname))
        return send(response, { kind: 'text', status: 404, contentType: 'text/plain', body: 'not found' });
      const authorized = request.headers.authorization === `Bearer ${apiToken}`;
      requests.push({ method: request.method ?? 'GET', path: url.pathname + url.search, authorized });
      if (!authorized) {
        return send(response, {
          kind: 'json',
          status: 401,
          body: { error: { code: 'unauthorized', message: 'missing or unknown bearer token' } },
          headers: { 'www-authenticate': 'Bearer' },
        });
      }
      const body = request.method === 'POST' ? await readBody(request) : '';
      send(response, routes(request.method ?? 'GET', url, body));
    };
    handle().catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'internal', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fixture server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
