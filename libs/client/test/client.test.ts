/**
 * The client against real servers, once per transport: the same calls, the
 * same answers, the same errors. The Kiln API runs as its own process; the
 * Temporal transport talks to the same dev server and worker directly.
 */
import { openStore } from '@kiln/artifacts';
import { compile } from '@kiln/dsl';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKilnClient, KilnApiError, KilnRunFailedError, type KilnClient, type RunUpdate } from '../src/index';
import { bundle, flaky, hello } from './support/pipelines';
import { eventually, startServers, type Servers } from './support/servers';

let servers: Servers;
const clients: Record<'api' | 'temporal', KilnClient> = {} as Record<'api' | 'temporal', KilnClient>;

beforeAll(async () => {
  servers = await startServers();
  clients.api = createKilnClient({ api: { url: servers.api.url, token: servers.api.tokens.admin } });
  clients.temporal = createKilnClient({
    temporal: {
      address: servers.temporal.address,
      namespace: servers.temporal.namespace,
      taskQueue: servers.taskQueue,
      uiUrl: servers.temporal.ui,
      store: openStore(servers.storeUrl),
    },
  });
  downloads = await mkdtemp(join(tmpdir(), 'kiln-client-downloads-'));
});
afterAll(async () => {
  await rm(downloads, { recursive: true, force: true });
  await clients.api?.close();
  await clients.temporal?.close();
  await servers?.close();
});

let downloads: string;
const marker = () => join(tmpdir(), `kiln-client-marker-${randomUUID()}`);
/** The only element of a one-element list. */
function only<T>(items: T[]): T {
  const [item] = items;
  if (items.length !== 1 || item === undefined) throw new Error(`expected exactly one item, got ${items.length}`);
  return item;
}
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe.each(['api', 'temporal'] as const)('over %s', (transport) => {
  const client = () => clients[transport];

  describe('a typed run of a DSL pipeline', () => {
    let updates: RunUpdate[];
    let runId: string;

    beforeAll(async () => {
      const run = await client().runs.start(hello, { who: transport }, { experiment: `client-${transport}` });
      runId = run.runId;
      updates = [];
      for await (const update of run.watch({ intervalMs: 200 })) updates.push(update);
    });

    test('is watched to completion: task changes arrive in order and the last update is final', () => {
      const last = updates[updates.length - 1];
      expect(last?.final).toBe(true);
      expect(last?.run.state).toBe('SUCCEEDED');
      expect(updates.slice(0, -1).every((u) => !u.final)).toBe(true);
      const greetStates = updates.flatMap((u) => u.changes.filter((c) => c.id === 'greet').map((c) => c.to));
      expect(greetStates[greetStates.length - 1]).toBe('succeeded');
      const shout = updates.flatMap((u) => u.changes.filter((c) => c.id === 'shout'));
      expect(shout[shout.length - 1]).toMatchObject({ id: 'shout', to: 'succeeded' });
    });

    test('its result is the final status document with the defaults filled in', async () => {
      const doc = await client().runs.result(runId);
      expect(doc).toMatchObject({
        runId,
        state: 'SUCCEEDED',
        pipeline: { name: 'client-hello', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
        params: { who: transport, sleepSeconds: 0 },
        experiment: `client-${transport}`,
      });
      expect(doc.tasks.map((t) => `${t.id}:${t.state}`).sort()).toEqual(['greet:succeeded', 'shout:succeeded']);
    });

    test('get answers the document with Temporal status and a UI link', async () => {
      const run = await client().runs.get(runId);
      expect(run.state).toBe('SUCCEEDED');
      expect(run.temporal).toMatchObject({ status: 'COMPLETED', ui: expect.stringContaining(`/workflows/${runId}`) });
    });

    test('is listed with filters, across pages', async () => {
      const found = await eventually(async () => {
        for await (const r of client().runs.list({
          pipeline: 'client-hello',
          experiment: `client-${transport}`,
          status: 'SUCCEEDED',
        })) {
          if (r.runId === runId) return r;
        }
        return undefined;
      }, 'the run in the listing');
      expect(found).toMatchObject({
        runId,
        state: 'SUCCEEDED',
        temporalStatus: 'COMPLETED',
        pipeline: { name: 'client-hello' },
      });
      const pages = [];
      for await (const page of client().runs.list({ pipeline: 'client-hello', pageSize: 1 }).pages()) {
        pages.push(page);
        if (pages.length === 2) break;
      }
      expect(pages[0]?.items).toHaveLength(1);
    });

    test('its output artifacts are listed and download to disk with their digest checked', async () => {
      const artifacts = await client().runs.artifacts(runId);
      expect(artifacts).toEqual([
        expect.objectContaining({
          runId,
          taskId: 'greet',
          output: 'report',
          type: 'markdown',
          digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        }),
      ]);
      const report = only(artifacts);
      const target = join(downloads, transport, 'report.md');
      const downloaded = await client().artifacts.download(report, target);
      const bytes = await readFile(target);
      expect(bytes.toString()).toBe(`# hello ${transport}\n`);
      expect(downloaded).toMatchObject({ path: target, kind: 'file', digest: report.digest, size: bytes.length });
      expect(sha256(bytes)).toBe(report.digest);
    });

    test('downloading an output a task does not have is a not-found naming its outputs', async () => {
      await expect(
        client().artifacts.download({ runId, taskId: 'greet', output: 'nothing' }, join(downloads, 'nothing')),
      ).rejects.toMatchObject({
        status: 404,
        code: 'not-found',
        message: expect.stringContaining('outputs: report'),
      });
    });
  });

  test('a download whose bytes do not match the digest fails and leaves nothing behind', async () => {
    const run = await client().runs.start(hello, { who: `tampered-${transport}` });
    await run.result({ intervalMs: 200 });
    const report = only(await client().runs.artifacts(run.runId));
    // Corrupt the stored bytes behind the store's back (its recorded digest stays): what a bad disk or a partial copy does.
    await writeFile(fileURLToPath(report.uri), '# not what was published\n');
    const target = join(downloads, `${transport}-tampered`, 'report.md');
    await expect(client().artifacts.download(report, target)).rejects.toMatchObject({
      name: 'KilnApiError',
      code: 'digest-mismatch',
      retryable: true,
    });
    expect(existsSync(target)).toBe(false);
    expect(await readdir(join(downloads, `${transport}-tampered`))).toEqual([]);
  });

  describe('a directory artifact', () => {
    /** A finished run of `bundle`: its listed `model` artifact and the folder holding it in the store. */
    async function packed(label: string) {
      // A label per transport and case: equal params would hit the step cache and share one stored folder.
      const run = await client().runs.start(bundle, { label: `${transport}-${label}` });
      await run.result({ intervalMs: 200 });
      const model = only(await client().runs.artifacts(run.runId));
      return {
        model,
        storeDir: fileURLToPath(model.uri),
        parent: await mkdtemp(join(downloads, `${transport}-${label}-`)),
      };
    }
    /** Fails with digest-mismatch and leaves nothing at all in `parent` (no target, no partial folder). */
    async function expectRefused(download: Promise<unknown>, parent: string) {
      await expect(download).rejects.toMatchObject({ name: 'KilnApiError', code: 'digest-mismatch', retryable: true });
      expect(await readdir(parent)).toEqual([]);
    }

    test('downloads as a folder whose files and listing digest match what the run recorded', async () => {
      const { model, parent } = await packed('intact');
      const target = join(parent, 'model');
      const downloaded = await client().artifacts.download(model, target);
      expect(downloaded).toMatchObject({
        path: target,
        kind: 'directory',
        digest: model.digest,
        size: `${transport}-intact\n`.length + 4,
      });
      expect(downloaded.files.map((f) => f.path).sort()).toEqual(
        ['config.txt', 'weights/a.bin', 'weights/b.bin'].map((f) => join(target, f)),
      );
      expect(await readFile(join(target, 'config.txt'), 'utf8')).toBe(`${transport}-intact\n`);
      expect(await readFile(join(target, 'weights', 'b.bin'), 'utf8')).toBe('w2');
      expect(await readdir(parent)).toEqual(['model']);
      // A second download never merges into (or wipes) what is already there.
      await expect(client().artifacts.download(model, target)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining(target),
      });
    });

    test('with a file changed in the store after the run, fails even without an expected digest and leaves nothing behind', async () => {
      const { model, storeDir, parent } = await packed('altered');
      // Same size, different bytes: what a bad disk or a stray writer does; the directory's sidecar still says the old digest.
      await writeFile(join(storeDir, 'weights', 'a.bin'), 'XX');
      await expectRefused(
        client().artifacts.download(
          { runId: model.runId, taskId: model.taskId, output: model.output },
          join(parent, 'model'),
        ),
        parent,
      );
      await expectRefused(client().artifacts.download(model, join(parent, 'model')), parent);
    });

    test('with a file added to or removed from the store after the run, fails and leaves nothing behind', async () => {
      const added = await packed('added');
      await writeFile(join(added.storeDir, 'weights', 'c.bin'), 'w3');
      await expectRefused(
        client().artifacts.download(
          { runId: added.model.runId, taskId: added.model.taskId, output: added.model.output },
          join(added.parent, 'model'),
        ),
        added.parent,
      );
      const removed = await packed('removed');
      await rm(join(removed.storeDir, 'weights', 'b.bin'));
      await expectRefused(client().artifacts.download(removed.model, join(removed.parent, 'model')), removed.parent);
    });
  });

  test('a second run is cancelled: its result throws KilnRunFailedError CANCELLED, cancelling again is a conflict', async () => {
    const run = await client().runs.start(hello, { who: 'slow', sleepSeconds: 60 });
    await eventually(
      async () => ((await run.get()).tasks.some((t) => t.id === 'greet' && t.state === 'running') ? true : undefined),
      'greet to run',
    );
    await run.cancel();
    const error = await run.result({ intervalMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KilnRunFailedError);
    expect((error as KilnRunFailedError).state).toBe('CANCELLED');
    expect((error as KilnRunFailedError).run.tasks.find((t) => t.id === 'greet')?.state).toBe('cancelled');
    const again = await run.cancel().catch((e: unknown) => e);
    expect(again).toBeInstanceOf(KilnApiError);
    expect(again).toMatchObject({ status: 409, code: 'conflict' });
  });

  test('a failed run is retried from its failed step and the retry succeeds', async () => {
    const run = await client().runs.start(flaky, { marker: marker() });
    await expect(run.result({ intervalMs: 200 })).rejects.toMatchObject({
      name: 'KilnRunFailedError',
      state: 'FAILED',
    });
    const retry = await client().runs.retry(run.runId);
    expect(retry.runId).not.toBe(run.runId);
    const doc = await retry.result({ intervalMs: 200 });
    expect(doc.state).toBe('SUCCEEDED');
  });

  test('IR runs take JSON parameters, checked before the run starts', async () => {
    const error = await client()
      .runs.start(compile(hello), { who: 42 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KilnApiError);
    expect(error).toMatchObject({ status: 422, code: 'invalid-params' });
    expect((error as Error).message).toMatch(/who: must be string/);
  });

  test('an unknown run is a not-found KilnApiError', async () => {
    await expect(client().runs.get('kiln-nope-0000')).rejects.toMatchObject({
      name: 'KilnApiError',
      status: 404,
      code: 'not-found',
    });
  });

  test('a schedule created through the client fires, pauses, triggers, backfills and is deleted', async () => {
    const id = `client-${transport}-${randomUUID().slice(0, 8)}`;
    const created = await client().schedules.create({
      id,
      pipeline: hello,
      params: { who: `schedule-${transport}` },
      interval: { every: '2s' },
      catchupWindow: '1m',
      note: 'client test',
    });
    expect(created).toMatchObject({
      id,
      paused: false,
      pipeline: { name: 'client-hello' },
      params: { who: `schedule-${transport}` },
      interval: { every: '2s' },
    });

    const fired = await eventually(
      async () => (await client().schedules.get(id)).recentRuns[0],
      'the schedule to fire',
    );
    const doc = await client().runs.result(fired.runId, { intervalMs: 300 });
    expect(doc).toMatchObject({ state: 'SUCCEEDED', params: { who: `schedule-${transport}` } });

    const listed = await eventually(async () => {
      for await (const s of client().schedules.list()) if (s.id === id) return s;
      return undefined;
    }, 'the schedule in the listing');
    expect(listed.pipeline?.name).toBe('client-hello');

    expect((await client().schedules.pause(id, 'quiet please')).paused).toBe(true);
    const before = (await client().schedules.get(id)).actionsTaken;
    // Scheduled workflow ids end in the action's time to the second: a trigger in the same
    // second as the last fire would reuse its id and be dropped by Temporal.
    await new Promise((r) => setTimeout(r, 1500));
    await client().schedules.trigger(id);
    await eventually(
      async () => ((await client().schedules.get(id)).actionsTaken > before ? true : undefined),
      'the triggered run',
    );
    const now = Date.now();
    await client().schedules.backfill(id, { start: new Date(now - 10_000), end: new Date(now - 5_000) });
    await eventually(
      async () => ((await client().schedules.get(id)).actionsTaken >= before + 3 ? true : undefined),
      'the backfilled runs',
    );
    expect((await client().schedules.resume(id)).paused).toBe(false);

    await client().schedules.delete(id);
    await expect(client().schedules.get(id)).rejects.toMatchObject({ status: 404, code: 'not-found' });
  });
});

describe('over the API only', () => {
  test('pipelines are uploaded (idempotently), listed, fetched and run by stored reference', async () => {
    const client = clients.api;
    const version = `v${randomUUID().slice(0, 8)}`;
    const uploaded = await client.pipelines.upload(flaky, { version, description: 'client test' });
    expect(uploaded).toMatchObject({
      name: 'client-flaky',
      version,
      created: true,
      digest: expect.stringMatching(/^sha256:/),
    });
    expect(await client.pipelines.upload(flaky, { version })).toMatchObject({ version, created: false });
    expect((await client.pipelines.list()).map((p) => p.name)).toContain('client-flaky');
    const got = await client.pipelines.get('client-flaky', { version });
    expect(got).toMatchObject({ version, digest: uploaded.digest, spec: { pipeline: { name: 'client-flaky' } } });
    expect((await client.pipelines.versions('client-flaky')).map((v) => v.version)).toContain(version);

    const m = marker();
    const failed = await client.runs.start({ name: 'client-flaky', version }, { marker: m });
    expect(failed.pipeline).toMatchObject({ version, digest: uploaded.digest });
    await expect(failed.result({ intervalMs: 200 })).rejects.toBeInstanceOf(KilnRunFailedError);
    const log = await client.runs.logs(failed.runId, 'check');
    let text = '';
    for await (const chunk of log.chunks) text += chunk;
    expect(log.attempt).toBe(1);
    expect(text).toContain('first try fails');
  });

  test("a running step's log is followed as an async iterator that ends when the step does", async () => {
    const client = clients.api;
    const run = await client.runs.start(hello, { who: 'follower', sleepSeconds: 3 });
    await eventually(
      async () => ((await run.get()).tasks.some((t) => t.id === 'greet' && t.state === 'running') ? true : undefined),
      'greet to run',
    );
    const log = await client.runs.logs(run.runId, 'greet', { follow: true });
    expect(log.source).toBe('live');
    const lines: string[] = [];
    for await (const line of log.lines()) lines.push(line);
    expect(lines).toContain('hello follower');
    // The stream ended because the step did: its saved log is there now.
    const saved = await client.runs.logs(run.runId, 'greet');
    expect(saved.source).toBe('saved');
    let text = '';
    for await (const chunk of saved) text += chunk;
    expect(text.split('\n').filter(Boolean)).toEqual(lines);
  });

  test('a bad token is unauthorized and a viewer may not start runs', async () => {
    const stranger = createKilnClient({ api: { url: servers.api.url, token: 'nope' } });
    await expect(stranger.runs.list().pages()[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
    const viewer = createKilnClient({ api: { url: servers.api.url, token: servers.api.tokens.viewer } });
    await expect(viewer.runs.start(hello, { who: 'x' })).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  test("whoami names the token's holder and role, and the role inline IR needs", async () => {
    await expect(clients.api.whoami()).resolves.toEqual({ name: 'admin', role: 'admin', inlineSpecRole: 'admin' });
    const viewer = createKilnClient({ api: { url: servers.api.url, token: servers.api.tokens.viewer } });
    await expect(viewer.whoami()).resolves.toEqual({ name: 'viewer', role: 'viewer', inlineSpecRole: 'admin' });
    await expect(clients.temporal.whoami()).rejects.toMatchObject({ status: 501, code: 'unsupported' });
  });

  test('an API that does not answer is unavailable and retryable', async () => {
    const nowhere = createKilnClient({ api: { url: 'http://127.0.0.1:9', token: 't' } });
    await expect(nowhere.runs.get('x')).rejects.toMatchObject({ status: 0, code: 'unavailable', retryable: true });
  });
});

describe('straight on Temporal only', () => {
  test('stored pipelines and logs are unsupported, with a message that says where they are', async () => {
    await expect(clients.temporal.pipelines.upload(hello)).rejects.toMatchObject({
      status: 501,
      code: 'unsupported',
      message: expect.stringMatching(/artifact store behind the Kiln API/),
    });
    await expect(clients.temporal.runs.start({ name: 'client-hello' }, { who: 'x' })).rejects.toMatchObject({
      code: 'unsupported',
    });
    await expect(clients.temporal.runs.logs('kiln-any', 'greet')).rejects.toMatchObject({
      status: 501,
      code: 'unsupported',
    });
  });

  test('artifact downloads without an artifact store are unsupported, saying what to pass', async () => {
    const storeless = createKilnClient({
      temporal: {
        address: servers.temporal.address,
        namespace: servers.temporal.namespace,
        taskQueue: servers.taskQueue,
      },
    });
    try {
      await expect(
        storeless.artifacts.download({ runId: 'kiln-any', taskId: 'greet', output: 'report' }, join(downloads, 'x')),
      ).rejects.toMatchObject({
        status: 501,
        code: 'unsupported',
        message: expect.stringContaining('store: openStore(url)'),
      });
    } finally {
      await storeless.close();
    }
  });
});
