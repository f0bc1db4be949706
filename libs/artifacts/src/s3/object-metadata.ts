/**
 * What the store records on each object, as S3 user metadata (`x-amz-meta-kiln-*`): the sha256
 * digest, when it was written, the artifact metadata as URI-encoded JSON, and a write id that
 * tells a retried conditional write whether its earlier, unanswered attempt already landed.
 * S3 caps user metadata at 2 KB, so larger artifact metadata goes to a small content-addressed
 * JSON object and the header holds its digest.
 */
import { createHash } from 'node:crypto';
import type { Digest } from '../digest';
import type { Metadata } from '../store';
import type { Headers } from './requests';

/** Above this, artifact metadata is stored beside the object instead of in its headers. */
export const INLINE_METADATA_LIMIT = 1536;

export const META_PREFIX = 'x-amz-meta-';

/** Header names without `x-amz-meta-` (how the `minio` client returns them, lower-cased). */
export const kilnHeaders = {
  digest: 'kiln-sha256',
  createdAt: 'kiln-created',
  metadata: 'kiln-metadata',
  metadataRef: 'kiln-metadata-ref',
  writeId: 'kiln-write-id',
} as const;

/** Artifact metadata either inline or as a reference (hex sha256 of its JSON) to a sidecar object. */
export type EncodedMetadata = { inline: string } | { ref: string; json: string };

export function encodeMetadata(metadata: Metadata): EncodedMetadata {
  const json = JSON.stringify(metadata);
  const inline = encodeURIComponent(json);
  if (inline.length <= INLINE_METADATA_LIMIT) return { inline };
  return { ref: createHash('sha256').update(json).digest('hex'), json };
}

export interface ObjectRecord {
  digest: Digest;
  createdAt: string;
  writeId: string;
  metadata: EncodedMetadata;
}

/** The request headers that record `record` on an object. */
export function recordHeaders(record: ObjectRecord): Headers {
  const headers: Headers = {
    'Content-Type': 'application/octet-stream',
    [META_PREFIX + kilnHeaders.digest]: record.digest,
    [META_PREFIX + kilnHeaders.createdAt]: record.createdAt,
    [META_PREFIX + kilnHeaders.writeId]: record.writeId,
  };
  if ('inline' in record.metadata) headers[META_PREFIX + kilnHeaders.metadata] = record.metadata.inline;
  else headers[META_PREFIX + kilnHeaders.metadataRef] = record.metadata.ref;
  return headers;
}

/** What an object's headers say; fields are absent for objects written by other tools. */
export interface ReadRecord {
  digest?: Digest;
  createdAt?: string;
  writeId?: string;
  inlineMetadata?: Metadata;
  metadataRef?: string;
}

export function readRecord(metaData: Record<string, unknown>): ReadRecord {
  const get = (name: string): string | undefined => {
    const value = metaData[name] ?? metaData[META_PREFIX + name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const digest = get(kilnHeaders.digest);
  const inline = get(kilnHeaders.metadata);
  const record: ReadRecord = {};
  if (digest && /^sha256:[0-9a-f]{64}$/.test(digest)) record.digest = digest as Digest;
  const createdAt = get(kilnHeaders.createdAt);
  if (createdAt) record.createdAt = createdAt;
  const writeId = get(kilnHeaders.writeId);
  if (writeId) record.writeId = writeId;
  if (inline) record.inlineMetadata = JSON.parse(decodeURIComponent(inline)) as Metadata;
  const ref = get(kilnHeaders.metadataRef);
  if (ref) record.metadataRef = ref;
  return record;
}
