/**
 * Store errors are small classes with a stable `code` and a `retryable` flag
 * decided where the error is raised: callers (activities, the engine) never have
 * to guess from a message whether trying again can help.
 */

/** Every code an {@link ArtifactError} can carry. Stable: callers may branch on them. */
export type ArtifactErrorCode =
  | 'not-found'
  | 'exists'
  | 'invalid-key'
  | 'unsupported-store'
  | 'store-config'
  | 'bucket-not-found'
  | 'access-denied'
  | 'invalid-record'
  | 'io';

/** Base class of every error the artifact store throws. */
export abstract class ArtifactError extends Error {
  abstract readonly code: ArtifactErrorCode;
  /** Whether the same call may succeed if tried again later. */
  abstract readonly retryable: boolean;
}

/** The key (or URI) names nothing in the store. */
export class ArtifactNotFoundError extends ArtifactError {
  override readonly name = 'ArtifactNotFoundError';
  readonly code = 'not-found';
  // Something else may still be writing it (an upstream step, a slow upload).
  readonly retryable = true;
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`artifact not found: ${key}`, options);
  }
}

/** An atomic create found the key already taken. */
export class ArtifactExistsError extends ArtifactError {
  override readonly name = 'ArtifactExistsError';
  readonly code = 'exists';
  readonly retryable = false;
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`artifact already exists: ${key}`, options);
  }
}

/** A key or URI that the store refuses: `..`, absolute, empty segments, NUL, outside the store. */
export class InvalidKeyError extends ArtifactError {
  override readonly name = 'InvalidKeyError';
  readonly code = 'invalid-key';
  readonly retryable = false;
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(`invalid artifact key ${JSON.stringify(key)}: ${reason}`);
  }
}

/** `openStore` was given a URL whose scheme has no backend (yet). */
export class UnsupportedStoreError extends ArtifactError {
  override readonly name = 'UnsupportedStoreError';
  readonly code = 'unsupported-store';
  readonly retryable = false;
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`unsupported artifact store ${JSON.stringify(url)}: ${reason}`);
  }
}

/**
 * A store setting (an option or an environment variable) is missing or malformed.
 * `setting` names it as the user would write it, e.g. `KILN_S3_USE_SSL` or `options.partSize`.
 */
export class StoreConfigError extends ArtifactError {
  override readonly name = 'StoreConfigError';
  readonly code = 'store-config';
  readonly retryable = false;
  constructor(
    readonly url: string,
    readonly setting: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`artifact store ${url}: ${setting} ${reason}`, options);
  }
}

/** The bucket a store URL names does not exist (S3 `NoSuchBucket`): a configuration error, not a transient one. */
export class BucketNotFoundError extends ArtifactError {
  override readonly name = 'BucketNotFoundError';
  readonly code = 'bucket-not-found';
  readonly retryable = false;
  constructor(
    readonly bucket: string,
    options?: ErrorOptions,
  ) {
    super(`bucket ${JSON.stringify(bucket)} does not exist; create it or fix the store URL`, options);
  }
}

/**
 * The store refused the credentials or the operation (S3 `AccessDenied`, `InvalidAccessKeyId`,
 * `SignatureDoesNotMatch`, expired tokens). Retrying with the same credentials cannot help.
 */
export class StoreAccessDeniedError extends ArtifactError {
  override readonly name = 'StoreAccessDeniedError';
  readonly code = 'access-denied';
  readonly retryable = false;
  constructor(
    readonly key: string,
    readonly operation: string,
    readonly s3Code: string,
    options?: ErrorOptions,
  ) {
    super(
      `${operation} ${key} was refused (${s3Code}): check the store's credentials and the bucket's policy`,
      options,
    );
  }
}

/** One thing wrong with a stored record: where in the document (a JSON path, `$` for the whole) and what. */
export interface RecordIssue {
  path: string;
  message: string;
}

/**
 * A record read back from the store (`readJson`) is not what its schema says:
 * not JSON at all, or JSON of another shape (damaged, written by hand, or by a
 * version of Kiln that stored something else there). Reading it again cannot help.
 */
export class StoreRecordError extends ArtifactError {
  override readonly name = 'StoreRecordError';
  readonly code = 'invalid-record';
  readonly retryable = false;
  constructor(
    readonly key: string,
    readonly issues: readonly RecordIssue[],
    options?: ErrorOptions,
  ) {
    super(`the store record ${key} is not valid: ${describeIssues(issues)}`, options);
  }
}

/** The first few issues, so a record that is wholly something else still gives a message one can read. */
function describeIssues(issues: readonly RecordIssue[], shown = 5): string {
  const listed = issues.slice(0, shown).map((issue) => `${issue.path}: ${issue.message}`);
  if (issues.length > shown) listed.push(`and ${issues.length - shown} more`);
  return listed.join('; ');
}

/**
 * The backend failed underneath: disk full, permissions, network. `retryable`
 * comes from the underlying cause (a full disk or EACCES will not fix itself;
 * EAGAIN, EBUSY, timeouts may).
 */
export class ArtifactIoError extends ArtifactError {
  override readonly name = 'ArtifactIoError';
  readonly code = 'io';
  constructor(
    readonly key: string,
    readonly operation: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(`${operation} ${key} failed: ${(options?.cause as Error | undefined)?.message ?? 'unknown error'}`, options);
  }
}

const transientErrnos = new Set(['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'ECONNRESET', 'EINTR']);

/** Wraps a Node error from the file system in the store's vocabulary. */
export function fromNodeError(error: unknown, key: string, operation: string): ArtifactError {
  if (error instanceof ArtifactError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new ArtifactNotFoundError(key, { cause: error });
  if (code === 'EEXIST') return new ArtifactExistsError(key, { cause: error });
  return new ArtifactIoError(key, operation, code !== undefined && transientErrnos.has(code), { cause: error });
}
