/**
 * The `s3://` backend: {@link S3ArtifactStore} and its settings.
 *
 * @example
 * ```ts
 * import { S3ArtifactStore } from './s3';
 * const store = new S3ArtifactStore('s3://kiln/dev', { endpoint: 'http://127.0.0.1:9000', accessKey: 'minio', secretKey: 'minio123' });
 * ```
 */
export { S3ArtifactStore } from './s3-store';
export { resolveS3Config, parseS3Url, type S3StoreOptions, type S3Config } from './config';
export { DEFAULT_RETRY, type RetryPolicy } from './retry';
