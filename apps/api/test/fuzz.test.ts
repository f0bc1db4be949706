/**
 * Property-based fuzzing of the two routes that take the most input, against a
 * real API process (`apps/api/src/main.ts`, on the test Temporal server, with a
 * 512 MB heap so a memory blow-up kills it): thousands of mutated pipelines
 * (JSON and YAML), deeply nested bodies, YAML alias and token floods, and
 * random run bodies. Every answer must be below 500 and in the documented error
 * shape, the process must stay alive and answer /healthz, and its resident
 * memory must not grow without bound.
 */
import { errorBodySchema } from '@kiln/api-contract';
import { canonicalize, toYaml, type PipelineSpec } from '@kiln/ir';
import { getTestEnvironment } from '@kiln/testenv';
import { Client, Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { hashToken } from '../src/auth/tokens';
import { helloSpec } from './support/fixtures';

const token = `fuzz-${randomUUID()}`;
const taskQueue = `kiln-fuzz-${randomUUID()}`;
const pipeline = 'fuzz-hello';
let api: ChildProcess;
let base = '';
let dir = '';
const answered: number[] = [];
const startedRuns: string[] = [];

/** The API's resident set size, from /proc (Linux). */
function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

beforeAll(async () => {
  const temporal = getTestEnvironment(['temporal']).temporal;
  dir = mkdtempSync(join(tmpdir(), 'kiln-fuzz-'));
  const root = resolve(__dirname, '../../..');
  api = spawn(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      KILN_API_TOKENS: `fuzz:admin:${hashToken(token)}`,
      KILN_TEMPORAL_ADDRESS: temporal.address,
      KILN_TEMPORAL_NAMESPACE: temporal.namespace,
      KILN_TASK_QUEUE: taskQueue,
      KILN_ARTIFACTS: pathToFileURL(join(dir, 'store')).href,
      KILN_API_PORT: '0',
      KILN_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  api.stderr?.on('data', (chunk: Buffer) => (output += String(chunk)));
  base = await new Promise<string>((resolveBase, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start:\n${output}`)), 60_000);
    api.stdout?.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const url = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolveBase(url);
      }
    });
    api.on('exit', (code) => reject(new Error(`the API exited (${code}):\n${output}`)));
  });
  // Drain the log so a full pipe never blocks the API.
  api.stdout?.resume();
  const upload = await send('POST', '/pipelines', JSON.stringify(helloSpec(pipeline)), 'application/json');
  expect(upload.status).toBe(201);
}, 90_000);

afterAll(async () => {
  if (startedRuns.length > 0) {
    const temporal = getTestEnvironment(['temporal']).temporal;
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: temporal.namespace });
    for (const id of startedRuns)
      await client.workflow
        .getHandle(id)
        .terminate('fuzz test cleanup')
        .catch(() => undefined);
    await connection.close();
  }
  api?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function send(method: string, path: string, body: string, contentType: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  const text = await res.text();
  answered.push(res.status);
  return { status: res.status, text };
}

/** No 5xx; an error is in the documented shape; a started run is remembered for cleanup. */
function expectHandled(res: { status: number; text: string }, what: string): void {
  if (res.status >= 500) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
  if (res.status >= 400) errorBodySchema.parse(JSON.parse(res.text));
  if (res.status === 201 && res.text.includes('"runId"')) startedRuns.push(JSON.parse(res.text).runId);
}

const nested = (open: string, close: string, depth: number, leaf = '1') =>
  open.repeat(depth) + leaf + close.repeat(depth);

/** Text mutations: characters that matter to JSON and YAML, inserted, deleted or swapped at random places. */
const mutatedText = (text: string) =>
  fc
    .array(
      fc.record({
        at: fc.nat({ max: text.length }),
        op: fc.constantFrom('insert', 'delete', 'replace'),
        chars: fc.constantFrom(
          '{',
          '}',
          '[',
          ']',
          ',',
          ':',
          '"',
          '\n',
          '- ',
          '  ',
          '*a',
          '&a ',
          '!!',
          '\\',
          'null',
          '1e999',
        ),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((edits) =>
      edits.reduce(
        (t, e) =>
          e.op === 'insert'
            ? t.slice(0, e.at) + e.chars + t.slice(e.at)
            : e.op === 'delete'
              ? t.slice(0, e.at) + t.slice(e.at + e.chars.length)
              : t.slice(0, e.at) + e.chars + t.slice(e.at + e.chars.length),
        text,
      ),
    );

/** Deep structures as JSON text: arrays, objects, mixes, at a random depth up to 30,000. */
const deepJson = fc
  .record({
    depth: fc.integer({ min: 50, max: 30_000 }),
    shape: fc.constantFrom<[string, string]>(['[', ']'], ['{"a":', '}'], ['[{"k":', '}]']),
  })
  .map(({ depth, shape }) => nested(shape[0], shape[1], depth));

/** Deep or stuffed YAML: block sequences, nested maps, flow, alias floods. */
const hostileYaml = fc.oneof(
  fc.integer({ min: 50, max: 100_000 }).map((n) => `schemaVersion: "1.0"\npipeline:\n  ${'- '.repeat(n)}x\n`),
  fc
    .integer({ min: 50, max: 2000 })
    .map((n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('')),
  fc.integer({ min: 50, max: 100_000 }).map((n) => `a: ${nested('[', ']', n)}\n`),
  fc
    .integer({ min: 2, max: 400 })
    .map((n) => `a: &a [x, x, x, x]\nb: &b [${'*a,'.repeat(9)}*a]\nc: [${'*b,'.repeat(n)}*b]\n`),
);

/** Run bodies: the right shape with wrong values, and plain junk. */
const runBody = fc.record(
  {
    pipeline: fc.oneof(fc.constant({ name: pipeline }), fc.jsonValue({ maxDepth: 3 })),
    params: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 6 })), fc.jsonValue({ maxDepth: 4 })),
    spec: fc.jsonValue({ maxDepth: 5 }),
    executor: fc.oneof(fc.constant('local'), fc.string()),
    parallelism: fc.oneof(fc.integer(), fc.double()),
  },
  { requiredKeys: [] },
);

/** Runs a property `numRuns` times; a failure names the property, the seed and the counterexample. */
async function check<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  seed: number,
  run: (value: T) => Promise<void>,
) {
  const started = Date.now();
  const result = await fc.check(fc.asyncProperty(arbitrary, run), { seed, numRuns });
  process.stdout.write(`fuzz: ${name}: ${numRuns} inputs in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (result.failed) throw new Error(`${name} (seed ${seed}): ${fc.defaultReportMessage(result)}`);
}

describe('fuzz: the API survives what it is sent', () => {
  const spec: PipelineSpec = helloSpec('fuzz-upload');
  const json = canonicalize(spec);
  const yaml = toYaml(spec);

  test('mutated pipelines, deep and stuffed uploads, and random run bodies: no 5xx, alive, memory bounded', async () => {
    const pid = api.pid ?? 0;
    const rssBefore = rssBytes(pid);
    const seed = Number(process.env['KILN_FUZZ_SEED'] ?? Date.now() % 100_000);

    const upload = (type: string) => async (body: string) =>
      expectHandled(await send('POST', '/pipelines', body, type), `upload (${type})`);
    await check('mutated JSON upload', mutatedText(json), 500, seed, upload('application/json'));
    await check('mutated YAML upload', mutatedText(yaml), 500, seed, upload('application/yaml'));
    await check('deep JSON upload', deepJson, 150, seed, (deep) =>
      upload('application/json')(`{"schemaVersion":"1.0","pipeline":{"name":${deep}}}`),
    );
    await check('hostile YAML upload', hostileYaml, 150, seed, upload('application/yaml'));
    await check('deep params and inline specs', fc.tuple(deepJson, fc.boolean()), 150, seed, async ([deep, inline]) => {
      const body = inline
        ? `{"spec":{"schemaVersion":"1.0","pipeline":${deep}}}`
        : `{"pipeline":{"name":"${pipeline}"},"params":{"who":${deep}}}`;
      expectHandled(await send('POST', '/runs', body, 'application/json'), 'deep run');
    });
    await check('random run bodies', runBody, 700, seed, async (body) =>
      expectHandled(await send('POST', '/runs', JSON.stringify(body), 'application/json'), 'run'),
    );

    expect(api.exitCode).toBeNull();
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const growth = rssBytes(pid) - rssBefore;
    process.stdout.write(
      `fuzz: ${answered.length} requests (seed ${seed}), statuses ${JSON.stringify(countBy(answered))}, RSS growth ${(growth / 1e6).toFixed(0)} MB\n`,
    );
    expect(answered.length).toBeGreaterThanOrEqual(2150);
    expect(answered.every((s) => s < 500)).toBe(true);
    // A leak or a parser ballooning on one input shows as hundreds of MB; normal churn stays well under.
    expect(growth).toBeLessThan(250 * 1024 * 1024);
  }, 180_000);
});

function countBy(values: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
