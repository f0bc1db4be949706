/**
 * The store contract: every test runs against each backend (a local folder and real MinIO), so
 * the launcher, the caching activities and run records can rely on the same behaviour on both.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  ArtifactExistsError,
  ArtifactNotFoundError,
  FileArtifactStore,
  InvalidKeyError,
  S3ArtifactStore,
  StoreConfigError,
  StoreRecordError,
  UnsupportedStoreError,
  defaultStoreUrl,
  digestBytes,
  locate,
  openStore,
  type ArtifactStore,
} from '../src';
import { backends, type Opened } from './support/backends';

/** A small record schema for the JSON round trips. */
const record = z.object({ ok: z.boolean(), n: z.array(z.number()) });

jest.setTimeout(30_000);

describe.each(backends)('$name store', (backend) => {
  let opened: Opened;
  let dir: string;
  let store: ArtifactStore;

  beforeEach(async () => {
    opened = await backend.setUp();
    ({ dir, store } = opened);
  });
  afterEach(async () => {
    await opened.tearDown();
  });

  async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
    const out: string[] = [];
    for await (const item of iterable) out.push(item);
    return out;
  }

  describe('objects', () => {
    test('put records the sha256 digest, size and metadata, and stat returns them', async () => {
      const stat = await store.put('a/b.txt', 'hello', { metadata: { rows: 3 } });
      expect(stat).toMatchObject({
        key: 'a/b.txt',
        kind: 'file',
        size: 5,
        digest: digestBytes('hello'),
        metadata: { rows: 3 },
      });
      expect(await store.stat('a/b.txt')).toEqual(stat);
      expect(stat.uri).toBe(`${store.url}/a/b.txt`);
    });

    test('streams a large body through without buffering it', async () => {
      const chunk = Buffer.alloc(1 << 20, 7);
      const body = Readable.from(
        (function* () {
          for (let i = 0; i < 32; i++) yield chunk;
        })(),
      );
      const stat = await store.put('big.bin', body);
      expect(stat.size).toBe(32 << 20);
      await store.getToPath('big.bin', join(dir, 'big.bin'));
      const again = await store.putPath('big2.bin', join(dir, 'big.bin'));
      expect(again.digest).toBe(stat.digest);
      expect(await store.stat('big2.bin')).toMatchObject({ size: 32 << 20, digest: stat.digest });
    });

    test('get streams the bytes back; readText and readJson/writeJson round-trip', async () => {
      await store.writeJson('x/record.json', { ok: true, n: [1, 2] });
      expect(await store.readJson('x/record.json', record)).toEqual({ ok: true, n: [1, 2] });
      const chunks: Buffer[] = [];
      for await (const c of await store.get('x/record.json')) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe(await store.readText('x/record.json'));
    });

    test('readJson of a record of another shape is a StoreRecordError naming the key and each problem', async () => {
      await store.writeJson('x/old.json', { ok: 'yes', n: [1, 'two'] });
      const error = await store.readJson('x/old.json', record).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreRecordError);
      expect(error).toMatchObject({
        code: 'invalid-record',
        retryable: false,
        key: 'x/old.json',
        issues: [
          { path: '$.ok', message: expect.stringContaining('boolean') },
          { path: '$.n[1]', message: expect.stringContaining('number') },
        ],
      });
      expect((error as Error).message).toMatch(/^the store record x\/old\.json is not valid: \$\.ok: .*; \$\.n\[1\]: /);
    });

    test('readJson of bytes that are not JSON is a StoreRecordError naming the key', async () => {
      await store.put('x/torn.json', '{"ok": tr');
      await expect(store.readJson('x/torn.json', record)).rejects.toMatchObject({
        name: 'StoreRecordError',
        key: 'x/torn.json',
        issues: [{ path: '$', message: expect.stringContaining('not JSON') }],
      });
    });

    test('readJson of a missing key is still ArtifactNotFoundError', async () => {
      await expect(store.readJson('x/none.json', record)).rejects.toBeInstanceOf(ArtifactNotFoundError);
    });

    test('stat recomputes the digest when the content changed behind the store', async () => {
      await store.put('f.txt', 'one');
      await new Promise((r) => setTimeout(r, 20));
      await opened.writeBehind('f.txt', 'two!');
      expect((await store.stat('f.txt')).digest).toBe(digestBytes('two!'));
    });

    test('a missing key is ArtifactNotFoundError (retryable), exists is false', async () => {
      await expect(store.stat('nope')).rejects.toBeInstanceOf(ArtifactNotFoundError);
      await expect(store.readText('nope')).rejects.toMatchObject({ code: 'not-found', retryable: true, key: 'nope' });
      expect(await store.exists('nope')).toBe(false);
    });

    test('delete removes the object and its metadata; deleting again is fine', async () => {
      await store.put('d.txt', 'x');
      await store.delete('d.txt');
      expect(await store.exists('d.txt')).toBe(false);
      await expect(store.delete('d.txt')).resolves.toBeUndefined();
    });

    test('delete of a folder key removes every object under it and their metadata', async () => {
      await store.put('logs/live/00000001', 'a', { metadata: { n: '1' } });
      await store.put('logs/live/00000002', 'b', { metadata: { n: '2' } });
      await store.delete('logs/live');
      expect(await collect(store.list('logs/'))).toEqual([]);
      if (backend.name === 'file') {
        const { existsSync } = await import('node:fs');
        expect(existsSync(join(dir, 'artifacts', '.kiln', 'meta', 'logs', 'live'))).toBe(false);
      }
      await store.put('logs/live/00000001', 'c');
      expect((await store.stat('logs/live/00000001')).metadata).toEqual({});
    });
  });

  describe('atomic create', () => {
    test('ifAbsent refuses an existing key with ArtifactExistsError and keeps the first content', async () => {
      await store.put('once.txt', 'first', { ifAbsent: true });
      const error = await store.put('once.txt', 'second', { ifAbsent: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArtifactExistsError);
      expect(error).toMatchObject({ retryable: false, key: 'once.txt' });
      expect(await store.readText('once.txt')).toBe('first');
    });

    test('of many racing creators exactly one wins', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => store.writeJson('race.json', { i }, { ifAbsent: true })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ArtifactExistsError)).toHaveLength(
        19,
      );
    });

    test('a plain put overwrites', async () => {
      await store.put('o.txt', 'a');
      await store.put('o.txt', 'b');
      expect(await store.readText('o.txt')).toBe('b');
    });

    test('leaves no temp files behind and never lists its bookkeeping', async () => {
      await store.put('k/v.txt', 'v');
      await store.put('k/v.txt', 'w', { ifAbsent: true }).catch(() => undefined);
      expect(await collect(store.list(''))).toEqual(['k/v.txt']);
    });
  });

  describe('directories', () => {
    async function makeTree(root: string): Promise<void> {
      await mkdir(join(root, 'sub', 'deep'), { recursive: true });
      await writeFile(join(root, 'a.txt'), 'A');
      await writeFile(join(root, 'sub', 'b.txt'), 'B');
      await writeFile(join(root, 'sub', 'deep', 'c.txt'), 'C');
    }

    test('a directory is one artifact with a digest over its sorted files; same content → same digest', async () => {
      const src = join(dir, 'tree');
      await makeTree(src);
      const stat = await store.putPath('models/m1', src, { metadata: { framework: 'none' } });
      expect(stat).toMatchObject({ kind: 'directory', size: 3, metadata: { framework: 'none' } });
      const expected = digestBytes(
        [
          `a.txt\0${digestBytes('A')}\n`,
          `sub/b.txt\0${digestBytes('B')}\n`,
          `sub/deep/c.txt\0${digestBytes('C')}\n`,
        ].join(''),
      );
      expect(stat.digest).toBe(expected);
      expect((await store.putPath('models/m2', src)).digest).toBe(expected);
      expect(await collect(store.list('models/m1'))).toEqual([
        'models/m1/a.txt',
        'models/m1/sub/b.txt',
        'models/m1/sub/deep/c.txt',
      ]);
    });

    test('getToPath downloads a directory artifact as a directory', async () => {
      const src = join(dir, 'tree');
      await makeTree(src);
      await store.putPath('d', src);
      await store.getToPath('d', join(dir, 'out', 'd'));
      expect(await readFile(join(dir, 'out', 'd', 'sub', 'deep', 'c.txt'), 'utf8')).toBe('C');
    });

    test('atomic create of a directory refuses an existing artifact', async () => {
      const src = join(dir, 'tree');
      await makeTree(src);
      await store.putPath('d', src, { ifAbsent: true });
      await expect(store.putPath('d', src, { ifAbsent: true })).rejects.toBeInstanceOf(ArtifactExistsError);
    });

    test('list is a string prefix in code-point order', async () => {
      for (const key of ['a-c', 'a/b', 'ab', 'b/x/y', 'a/a']) await store.put(key, key);
      expect(await collect(store.list(''))).toEqual(['a-c', 'a/a', 'a/b', 'ab', 'b/x/y']);
      expect(await collect(store.list('a'))).toEqual(['a-c', 'a/a', 'a/b', 'ab']);
      expect(await collect(store.list('a/'))).toEqual(['a/a', 'a/b']);
      expect(await collect(store.list('zzz/'))).toEqual([]);
    });
  });

  describe('keys and URIs', () => {
    test.each([
      ['', 'empty'],
      ['../etc/passwd', '".."'],
      ['a/../../b', '".."'],
      ['/abs/path', 'absolute'],
      ['a//b', 'empty segment'],
      ['a/', 'empty segment'],
      ['a/./b', '"."'],
      ['nul\0byte', 'NUL'],
      ['win\\path', 'backslash'],
      ['.kiln/meta/x', 'reserved'],
    ])('key %j is refused with an InvalidKeyError naming it (%s)', async (key, reason) => {
      const error = await store.put(key, 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidKeyError);
      expect((error as InvalidKeyError).message).toContain(JSON.stringify(key));
      expect((error as InvalidKeyError).message).toContain(reason);
      expect((error as InvalidKeyError).retryable).toBe(false);
    });

    test('uriFor and keyOf are inverse; a URI outside the store is refused', async () => {
      const uri = store.uriFor('runs/p/r 1/model.pkl');
      expect(store.keyOf(uri)).toBe('runs/p/r 1/model.pkl');
      expect(store.owns(uri)).toBe(true);
      expect(() => store.keyOf(opened.outsideUri)).toThrow(/outside the store/);
      expect(() => store.keyOf(`${store.url}/../secret`)).toThrow(InvalidKeyError);
      expect(() => store.keyOf(backend.name === 'file' ? 's3://bucket/x' : 'file:///etc/passwd')).toThrow(
        InvalidKeyError,
      );
    });

    test('locate reads a file:// URI outside the store through a read-only root view', async () => {
      await writeFile(join(dir, 'outside.csv'), 'a,b\n');
      const { store: source, key } = locate(`file://${dir}/outside.csv`, store);
      expect(source).not.toBe(store);
      expect((await source.stat(key)).digest).toBe(digestBytes('a,b\n'));
    });
  });
});

describe('openStore', () => {
  test('file:// URLs and absolute paths open the folder backend', () => {
    expect(openStore('file:///tmp/kiln-x')).toBeInstanceOf(FileArtifactStore);
    expect(openStore('/tmp/kiln-x').url).toBe('file:///tmp/kiln-x');
  });

  test('s3:// URLs open the S3 backend with settings from options or the environment', () => {
    const env = { KILN_S3_ENDPOINT: 'http://127.0.0.1:9000', KILN_S3_ACCESS_KEY: 'a', KILN_S3_SECRET_KEY: 'b' };
    const store = openStore('s3://bucket/prefix/', { env });
    expect(store).toBeInstanceOf(S3ArtifactStore);
    expect(store.url).toBe('s3://bucket/prefix');
    expect(() => openStore('s3://bucket/prefix', { env: {} })).toThrow(StoreConfigError);
  });

  test('other schemes are UnsupportedStoreError', () => {
    expect(() => openStore('ftp://x')).toThrow(UnsupportedStoreError);
  });

  test('the default store lives under KILN_HOME, else ~/.local/share/kiln', () => {
    expect(defaultStoreUrl({ KILN_HOME: '/srv/kiln' })).toBe('file:///srv/kiln/artifacts');
    expect(defaultStoreUrl({})).toMatch(/\/\.local\/share\/kiln\/artifacts$/);
  });
});
