/**
 * A directory artifact on S3 is every object under `<key>/` plus one small manifest object in the
 * store's reserved area, written last: its appearance publishes the directory (with
 * `If-None-Match` for atomic create), and it lists the files and their digests, so readers fetch
 * exactly that version and check every byte.
 */
import type { Digest, ListingEntry } from '../digest';
import type { Metadata } from '../store';

export interface DirectoryManifest {
  kind: 'directory';
  digest: Digest;
  size: number;
  createdAt: string;
  metadata: Metadata;
  writeId: string;
  files: ListingEntry[];
}

export function isManifest(value: unknown): value is DirectoryManifest {
  const v = value as Partial<DirectoryManifest> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.kind === 'directory' &&
    typeof v.digest === 'string' &&
    Array.isArray(v.files)
  );
}
