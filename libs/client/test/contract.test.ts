/**
 * The API transport reads every answer against `@kiln/api-contract`. A real
 * Kiln API cannot answer off its contract (its answers are checked before they
 * leave), so the off-contract answers here come from a small HTTP server that
 * plays a wrong server: another program, another version, a proxy.
 */
import { apiErrorCodes, type RunResource } from '@kiln/api-contract';
import { expectTypeOf } from 'expect-type';
import { createServer, type Server } from 'node:http';
import { createKilnClient, KilnApiError, type KilnErrorCode, type RunDetails } from '../src/index';

let server: Server;
let url = '';
/** What the wrong server answers, by path. */
const answers = new Map<string, { status: number; type: string; body: string }>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const answer = answers.get(request.url ?? '') ?? { status: 404, type: 'text/plain', body: 'no' };
    response.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

const client = () => createKilnClient({ api: { url, token: 't' } });
const json = (status: number, body: unknown) => ({ status, type: 'application/json', body: JSON.stringify(body) });

async function failure(call: Promise<unknown>): Promise<KilnApiError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof KilnApiError)) throw new Error(`expected a KilnApiError, got ${String(error)}`);
  return error;
}

test('a 2xx answer off the contract is a KilnApiError saying what did not match', async () => {
  const run = {
    runId: 'kiln-x',
    workflowId: 'kiln-x',
    pipeline: { name: 'hello', digest: 'sha256:00' },
    params: {},
    state: 'DONE',
    startedAt: '2025-01-01T00:00:00Z',
    tasks: [],
    temporal: { status: 'RUNNING', runId: 'r', historyLength: 3 },
  };
  answers.set('/runs/kiln-x', json(200, run));
  const error = await failure(client().runs.get('kiln-x'));
  expect(error).toMatchObject({ status: 200, code: 'unsupported', retryable: false });
  expect(error.message).toContain('GET ');
  expect(error.message).toContain('does not match the API contract');
  expect(error.message).toContain('(state: Invalid option: expected one of');
});

test('a status the route does not answer with is off the contract too', async () => {
  answers.set('/runs/kiln-y/cancel', json(200, { runId: 'kiln-y', cancelRequested: true }));
  const error = await failure(client().runs.cancel('kiln-y'));
  expect(error.code).toBe('unsupported');
  expect(error.message).toContain('HTTP 200 is not an answer of this route (expected 202)');
});

test("an error code from a newer server passes through; a proxy's page is read by its status", async () => {
  answers.set(
    '/runs/kiln-z',
    json(429, { error: { code: 'rate-limited', message: 'slow down', details: { wait: 3 } } }),
  );
  expect(await failure(client().runs.get('kiln-z'))).toMatchObject({
    status: 429,
    code: 'rate-limited',
    message: 'slow down',
    details: { wait: 3 },
    retryable: true,
  });
  answers.set('/runs/kiln-p', { status: 502, type: 'text/html', body: '<h1>Bad Gateway</h1>' });
  expect(await failure(client().runs.get('kiln-p'))).toMatchObject({ status: 502, code: 'unavailable' });
});

test("the client's error codes are the contract's and its own three; its run is the contract's run resource", () => {
  expectTypeOf<KilnErrorCode>().toEqualTypeOf<
    (typeof apiErrorCodes)[number] | 'unavailable' | 'unsupported' | 'digest-mismatch'
  >();
  expectTypeOf<RunDetails>().toEqualTypeOf<RunResource>();
  expect(apiErrorCodes).toContain('invalid-params');
});
