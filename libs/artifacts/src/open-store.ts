/** Choosing a backend from a URL, and the default store a new user gets. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UnsupportedStoreError } from './errors';
import { FileArtifactStore } from './file-store';
import { S3ArtifactStore, type S3StoreOptions } from './s3';
import type { ArtifactStore } from './store';
import { storeLocation } from './store-url';

/** Settings for backends that need more than a URL. */
export interface OpenStoreOptions {
  /** For `s3://` URLs; anything not given here comes from `env` (see `resolveS3Config`). */
  s3?: S3StoreOptions;
  /** Where `KILN_S3_*` / `AWS_*` settings are read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Opens the store a URL names: `file:///path` (or a bare absolute path) is a
 * local folder; `s3://bucket/prefix` is S3/MinIO, with endpoint, credentials,
 * region and TLS from `options.s3` or the environment (`KILN_S3_ENDPOINT`,
 * `KILN_S3_ACCESS_KEY`, `KILN_S3_SECRET_KEY`, `KILN_S3_REGION`, `KILN_S3_USE_SSL`,
 * or the `AWS_*` equivalents), so a child process given only the URL opens the same store.
 *
 * @example
 * ```ts
 * const store = openStore(process.env.KILN_ARTIFACTS ?? defaultStoreUrl());
 * const minio = openStore('s3://kiln/dev', { s3: { endpoint: 'http://127.0.0.1:9000', accessKey: 'minio', secretKey: 'minio123' } });
 * ```
 */
export function openStore(url: string, options: OpenStoreOptions = {}): ArtifactStore {
  const location = storeLocation(url);
  return location.kind === 'file'
    ? new FileArtifactStore(location.url)
    : new S3ArtifactStore(location.url, options.s3, options.env);
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
 * it, otherwise a view of the URI's own root: for a `file://` URI anywhere on
 * this machine (e.g. an imported dataset) the file system rooted at `/`, for an
 * `s3://` URI its bucket, reached with the same S3 settings as any s3:// store.
 *
 * @example
 * ```ts
 * const { store: source, key } = locate('file:///data/iris.csv', store);
 * await source.getToPath(key, '/tmp/work/iris.csv');
 * ```
 */
export function locate(
  uri: string,
  store: ArtifactStore,
  options: OpenStoreOptions = {},
): { store: ArtifactStore; key: string } {
  if (store.owns(uri)) return { store, key: store.keyOf(uri) };
  if (uri.startsWith('file:')) {
    const root = new FileArtifactStore('file:///');
    return { store: root, key: root.keyOf(uri) };
  }
  const bucket = /^s3:\/\/([^/]+)\//.exec(uri)?.[1];
  if (bucket) {
    const root =
      store instanceof S3ArtifactStore && !options.s3
        ? store.atUrl(`s3://${bucket}`)
        : openStore(`s3://${bucket}`, options);
    return { store: root, key: root.keyOf(uri) };
  }
  throw new UnsupportedStoreError(uri, `the URI is not in the store at ${store.url} and its scheme has no reader yet`);
}
