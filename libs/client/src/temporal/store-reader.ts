/**
 * What the Temporal transport reads from an artifact store to download
 * artifacts: the read side of `@kiln/artifacts`' `ArtifactStore`, so
 * `openStore(url)` can be passed as it is (the client does not depend on the
 * store library itself).
 */
import type { Readable } from 'node:stream';

export interface ArtifactStoreReader {
  /** The store's URL, for messages. */
  readonly url: string;
  /** Whether `uri` lies inside this store. */
  owns(uri: string): boolean;
  /** The key of a URI inside this store. */
  keyOf(uri: string): string;
  /** Kind, size and `sha256:<hex>` digest of an artifact. */
  stat(key: string): Promise<{ kind: 'file' | 'directory'; size: number; digest: string }>;
  /** Streams one object. */
  get(key: string): Promise<Readable>;
  /** Keys of the objects whose key starts with `prefix`. */
  list(prefix: string): AsyncIterable<string>;
}
