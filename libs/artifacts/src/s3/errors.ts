/**
 * S3 error codes in the store's vocabulary, decided once here: a missing bucket or refused
 * credentials will not fix themselves; a refused connection, a 5xx or `SlowDown` may.
 */
import {
  ArtifactError,
  ArtifactExistsError,
  ArtifactIoError,
  ArtifactNotFoundError,
  BucketNotFoundError,
  StoreAccessDeniedError,
} from '../errors';

/** What was being done, for the error message. */
export interface S3Operation {
  bucket: string;
  key: string;
  operation: string;
}

const accessDenied = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  // MinIO's answer to temporary credentials without (or with a wrong) session token.
  'InvalidTokenId',
  'ExpiredToken',
  'TokenRefreshRequired',
  'AccountProblem',
  'AllAccessDisabled',
  'InvalidSecurity',
]);

const transientCodes = new Set([
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'OperationAborted',
  'XMinioServerNotInitialized',
  'XMinioReadQuorum',
  'XMinioWriteQuorum',
]);

const transientErrnos = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);

/**
 * Maps an error from the `minio` client or the network onto a typed {@link ArtifactError}.
 *
 * @example
 * ```ts
 * try { await client.statObject(bucket, name); }
 * catch (e) { throw fromS3Error(e, { bucket, key, operation: 'stat' }); }
 * ```
 */
export function fromS3Error(error: unknown, where: S3Operation): ArtifactError {
  if (error instanceof ArtifactError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const { bucket, key, operation } = where;
  if (typeof code === 'string') {
    if (code === 'NoSuchKey' || code === 'NotFound') return new ArtifactNotFoundError(key, { cause: error });
    if (code === 'NoSuchBucket') return new BucketNotFoundError(bucket, { cause: error });
    if (accessDenied.has(code)) return new StoreAccessDeniedError(key, operation, code, { cause: error });
    if (code === 'PreconditionFailed') return new ArtifactExistsError(key, { cause: error });
    if (transientCodes.has(code) || transientErrnos.has(code))
      return new ArtifactIoError(key, operation, true, { cause: error });
  }
  // minio-js reports a 5xx it would have retried as a plain Error (its own retry is disabled: it
  // would resend a consumed stream), so the status is only in the message.
  const message = error instanceof Error ? error.message : String(error);
  const status = /Retryable HTTP status: (\d+)/.exec(message)?.[1];
  if (status)
    return new ArtifactIoError(key, operation, true, {
      cause: new Error(`HTTP ${status} from the S3 endpoint`, { cause: error }),
    });
  if (message === 'aborted' || /socket hang up|ECONNRESET|ECONNREFUSED/.test(message)) {
    return new ArtifactIoError(key, operation, true, { cause: error });
  }
  return new ArtifactIoError(key, operation, false, { cause: error });
}
