/** Choosing a backend from a URL, and the default store a new user gets. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnsupportedStoreError } from './errors';
import { FileArtifactStore } from './file-store';
import type { ArtifactStore } from './store';

/**
 * Opens the store a URL names: `file:///path` (or a bare absolute path) is a
 * local folder; `s3://bucket/prefix` will be S3/MinIO.
 *
 * @example
 * ```ts
 * const store = openStore(process.env.KILN_ARTIFACTS ?? defaultStoreUrl());
 * ```
 */
export function openStore(url: string): ArtifactStore {
  if (url.startsWith('file:')) return new FileArtifactStore(url);
  if (isAbsolute(url)) return new FileArtifactStore(pathToFileURL(url).href);
  if (url.startsWith('s3:')) {
    throw new UnsupportedStoreError(url, 'the S3/MinIO backend is not yet supported; use a file:// store for now');
  }
  throw new UnsupportedStoreError(url, 'expected file:///path or s3://bucket/prefix');
}

/**
 * The store used when nothing is configured: `file://$KILN_HOME/artifacts`,
 * with `KILN_HOME` defaulting to `~/.local/share/kiln`.
 */
export function defaultStoreUrl(env: NodeJS.ProcessEnv = process.env): string {
  const home = env['KILN_HOME'] || join(homedir(), '.local', 'share', 'kiln');
  return pathToFileURL(join(home, 'artifacts')).href;
}

/**
 * Where the bytes of `uri` can be read: `store` itself when the URI lies in
 * it, otherwise (a `file://` URI anywhere on this machine, e.g. an imported
 * dataset) a read-only view of the file system rooted at `/`.
 *
 * @example
 * ```ts
 * const { store: source, key } = locate('file:///data/iris.csv', store);
 * await source.getToPath(key, '/tmp/work/iris.csv');
 * ```
 */
export function locate(uri: string, store: ArtifactStore): { store: ArtifactStore; key: string } {
  if (store.owns(uri)) return { store, key: store.keyOf(uri) };
  if (uri.startsWith('file:')) {
    const root = new FileArtifactStore('file:///');
    return { store: root, key: root.keyOf(uri) };
  }
  throw new UnsupportedStoreError(uri, `the URI is not in the store at ${store.url} and its scheme has no reader yet`);
}
