/**
 * The file store's own write path: folders are made only when a write finds them missing, and a put
 * replaces whatever kind of artifact was at its key.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileArtifactStore } from '../src';

let dir: string;
let store: FileArtifactStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-file-store-'));
  store = new FileArtifactStore(join(dir, 'store'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function tree(path: string, files: Record<string, string>): Promise<string> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(path, name, '..'), { recursive: true });
    await writeFile(join(path, name), text);
  }
  return path;
}

test('writes again after its temp folder was removed behind its back', async () => {
  await store.put('a/one.txt', 'one', { metadata: { n: '1' } });
  await rm(join(store.root, '.kiln', 'tmp'), { recursive: true });
  await store.put('a/two.txt', Readable.from([Buffer.from('tw'), Buffer.from('o')]), { metadata: { n: '2' } });
  await rm(join(store.root, '.kiln', 'tmp'), { recursive: true });
  await store.putPath('b/tree', await tree(join(dir, 'src'), { 'x.txt': 'x' }));
  await rm(join(store.root, '.kiln', 'tmp'), { recursive: true });
  await store.put('c/three.txt', 'three', { ifAbsent: true });
  expect(await store.readText('a/two.txt')).toBe('two');
  expect((await store.stat('a/two.txt')).metadata).toEqual({ n: '2' });
  expect((await store.stat('b/tree')).kind).toBe('directory');
  expect(await store.readText('c/three.txt')).toBe('three');
  expect(await readdir(join(store.root, '.kiln', 'tmp'))).toEqual([]);
});

test('a put replaces a folder artifact, and a folder replaces a file or a fuller folder', async () => {
  await store.putPath('m', await tree(join(dir, 'first'), { 'a.txt': 'a', 'sub/b.txt': 'b' }));
  await store.put('m', 'now a file');
  expect(await store.readText('m')).toBe('now a file');
  expect((await store.stat('m')).kind).toBe('file');

  await store.putPath('m', await tree(join(dir, 'second'), { 'c.txt': 'c' }));
  expect(await store.readText('m/c.txt')).toBe('c');
  await store.putPath('m', await tree(join(dir, 'third'), { 'd.txt': 'd' }));
  const stat = await store.stat('m');
  expect(stat).toMatchObject({ kind: 'directory', size: 1 });
  expect(await readdir(join(store.root, 'm'))).toEqual(['d.txt']);
});

test('a put under a key whose parent is a file fails naming the key, leaving no temp file', async () => {
  await store.put('p', 'a file');
  await expect(store.put('p/q', 'x')).rejects.toMatchObject({ key: 'p/q' });
  expect(await readdir(join(store.root, '.kiln', 'tmp'))).toEqual([]);
});
