/**
 * A step's log reaches the store while the step runs, as numbered chunks that
 * the API's `--follow` reads (apps/api/src/runs/logs.ts): in order, without
 * gaps or repeats, always a prefix of the log saved at the end.
 */
import type { ArtifactStore, Body, PutOptions } from '@kiln/artifacts';
import { liveLogChunkKey, liveLogPrefix, stepLogKey } from '@kiln/store-layout';
import { LaunchError, runStep } from '../src';
import { container, request, sandbox, type Sandbox } from './helpers';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

/** Prints `count` lines, `pause` seconds apart, then exits with `exitCode`. */
const slowLines = (count: number, pause: number, exitCode = 0) =>
  container([
    'sh',
    '-c',
    `i=1; while [ $i -le ${count} ]; do echo "line $i"; i=$((i+1)); sleep ${pause}; done; exit ${exitCode}`,
  ]);

interface PutAttempt {
  key: string;
  bytes: Buffer;
  stored: boolean;
}

/** The store, with every put of a live chunk recorded, and the attempts `fails` picks (1-based) refused. */
function recordingStore(
  store: ArtifactStore,
  fails: (attempt: number) => boolean = () => false,
): { store: ArtifactStore; puts: PutAttempt[] } {
  const puts: PutAttempt[] = [];
  const put = async (key: string, body: Body, options?: PutOptions) => {
    if (!key.includes('/log.live/')) return store.put(key, body, options);
    const bytes = Buffer.from(body as Uint8Array);
    if (fails(puts.length + 1)) {
      puts.push({ key, bytes, stored: false });
      throw new Error('injected: the store cannot be reached');
    }
    const stat = await store.put(key, body, options);
    puts.push({ key, bytes, stored: true });
    return stat;
  };
  const wrapped = new Proxy(store, {
    get(target, property) {
      if (property === 'put') return put;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, puts };
}

async function keysUnder(store: ArtifactStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(prefix)) keys.push(key);
  return keys;
}

/** The stored chunks' keys must be chunk 1, 2, 3, … in that order, each once. */
function expectNumberedInOrder(executionKey: string, stored: PutAttempt[]): void {
  expect(stored.map((p) => p.key)).toEqual(stored.map((_, i) => liveLogChunkKey(executionKey, i + 1)));
}

test('a running step has its log in the store as live chunks before it ends; in order they are a prefix of the saved log, removed once it is saved', async () => {
  const { store, puts } = recordingStore(box.store);
  const req = request(slowLines(6, 0.3));
  let ended = false;
  const running = runStep(req, { store, workDir: box.workDir(), liveLogIntervalMs: 100 }).finally(() => (ended = true));

  // Read the store as the API does while following: list the prefix, read chunk 1.
  let firstChunk: string | undefined;
  while (firstChunk === undefined && !ended) {
    const keys = await keysUnder(box.store, liveLogPrefix(req.executionKey));
    if (keys.includes(liveLogChunkKey(req.executionKey, 1)))
      firstChunk = await box.store.readText(liveLogChunkKey(req.executionKey, 1));
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const endedWhenRead = ended;
  const output = await running;

  expect(endedWhenRead).toBe(false);
  expect(firstChunk).toContain('[kiln] step ');
  const saved = await box.store.readText(stepLogKey(req.executionKey));
  expect(saved).toBe(await box.store.readText(box.store.keyOf(output.logUri)));
  expect(saved).toContain('line 6');
  const stored = puts.filter((p) => p.stored);
  // Six lines 0.3 s apart, checked every 0.1 s: the log grew between many checks.
  expect(stored.length).toBeGreaterThanOrEqual(3);
  expectNumberedInOrder(req.executionKey, stored);
  const streamed = Buffer.concat(stored.map((p) => p.bytes));
  expect(streamed.length).toBeGreaterThan(0);
  expect(Buffer.from(saved).subarray(0, streamed.length).equals(streamed)).toBe(true);
  expect(streamed.toString()).toContain('line 1');
  expect(await keysUnder(box.store, liveLogPrefix(req.executionKey))).toEqual([]);
});

test('a chunk that fails to upload does not fail the step: it is sent again with the same bytes, and the log says so', async () => {
  // The first attempt and the third fail.
  const { store, puts } = recordingStore(box.store, (attempt) => attempt === 1 || attempt === 3);
  const req = request(slowLines(5, 0.3));
  const output = await runStep(req, { store, workDir: box.workDir(), liveLogIntervalMs: 100 });

  expect(output.exitCode).toBe(0);
  expect(puts.filter((p) => !p.stored)).toHaveLength(2);
  for (const [i, attempt] of puts.entries()) {
    if (attempt.stored) continue;
    // The next attempt is the same chunk with the same bytes.
    expect(puts[i + 1]).toEqual({ key: attempt.key, bytes: attempt.bytes, stored: true });
  }
  const stored = puts.filter((p) => p.stored);
  expectNumberedInOrder(req.executionKey, stored);
  const saved = await box.store.readText(stepLogKey(req.executionKey));
  const streamed = Buffer.concat(stored.map((p) => p.bytes));
  expect(Buffer.from(saved).subarray(0, streamed.length).equals(streamed)).toBe(true);
  expect(saved).toContain('[kiln] live log: chunk 1 did not reach the store (injected: the store cannot be reached)');
});

test('a failing step streams its log too, and its saved log replaces the chunks', async () => {
  const { store, puts } = recordingStore(box.store);
  const req = request(slowLines(4, 0.3, 3));
  const error = await runStep(req, { store, workDir: box.workDir(), liveLogIntervalMs: 100 }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LaunchError);
  expect(error).toMatchObject({ reason: 'NonZeroExit', exitCode: 3 });

  const saved = await box.store.readText(stepLogKey(req.executionKey));
  expect(saved).toContain('step failed');
  const stored = puts.filter((p) => p.stored);
  expect(stored.length).toBeGreaterThanOrEqual(2);
  expectNumberedInOrder(req.executionKey, stored);
  const streamed = Buffer.concat(stored.map((p) => p.bytes));
  expect(Buffer.from(saved).subarray(0, streamed.length).equals(streamed)).toBe(true);
  expect(await keysUnder(box.store, liveLogPrefix(req.executionKey))).toEqual([]);
});

test('chunks left by an earlier try of the same attempt are removed before the first chunk, so numbers never mix', async () => {
  const req = request(slowLines(4, 0.3));
  await box.store.put(liveLogChunkKey(req.executionKey, 1), 'from a worker that died\n');
  await box.store.put(liveLogChunkKey(req.executionKey, 2), 'mid-step\n');
  const { store, puts } = recordingStore(box.store);
  let ended = false;
  const running = runStep(req, { store, workDir: box.workDir(), liveLogIntervalMs: 100 }).finally(() => (ended = true));
  while (puts.length === 0 && !ended) await new Promise((resolve) => setTimeout(resolve, 20));
  // Right after this try's first chunk, while the step still runs: only this try's chunks are there.
  const texts: string[] = [];
  for (const key of await keysUnder(box.store, liveLogPrefix(req.executionKey)))
    texts.push(await box.store.readText(key));
  const endedWhenRead = ended;
  await running;

  expect(endedWhenRead).toBe(false);
  expect(texts[0]).toContain('[kiln] step ');
  expect(texts.join('')).not.toMatch(/from a worker that died|mid-step/);
});
