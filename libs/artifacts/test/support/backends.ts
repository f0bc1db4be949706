/**
 * The backends every store contract test runs against: a temp folder (file://) and a fresh
 * prefix in the MinIO bucket of tools/testenv (s3://). Each gives a store and a way to change an
 * artifact "behind the store's back", the way another tool would.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'minio';
import { getTestEnvironment, type MinioInfo } from '@kiln/testenv';
import { openStore, type ArtifactStore, type S3StoreOptions } from '../../src';

export interface Backend {
  name: 'file' | 's3';
  /** A fresh, empty store and a scratch folder for local files. */
  setUp(): Promise<Opened>;
}

export interface Opened {
  store: ArtifactStore;
  /** A local scratch folder, removed by `tearDown`. */
  dir: string;
  /** A URI of the same scheme that lies outside the store. */
  outsideUri: string;
  /** Overwrites an artifact's bytes without going through the store. */
  writeBehind(key: string, content: string): Promise<void>;
  tearDown(): Promise<void>;
}

/** Settings of the test MinIO as store options. */
export function minioOptions(minio: MinioInfo, extra: S3StoreOptions = {}): S3StoreOptions {
  return { endpoint: minio.endpoint, accessKey: minio.accessKey, secretKey: minio.secretKey, ...extra };
}

/** A plain `minio` client for the test MinIO (to look at or tamper with objects directly). */
export function minioClient(minio: MinioInfo, secretKey = minio.secretKey, accessKey = minio.accessKey): Client {
  const url = new URL(minio.endpoint);
  return new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: false,
    accessKey,
    secretKey,
    region: 'us-east-1',
  });
}

let minioInfo: MinioInfo | undefined;
/** The test MinIO (asking tools/testenv once per test file: without KILN_TESTENV that runs `up`). */
export function testMinio(): MinioInfo {
  minioInfo ??= getTestEnvironment(['minio']).minio;
  return minioInfo;
}

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kiln-store-'));
}

export const fileBackend: Backend = {
  name: 'file',
  async setUp() {
    const dir = await scratch();
    const store = openStore(`file://${dir}/artifacts`);
    return {
      store,
      dir,
      outsideUri: 'file:///etc/passwd',
      writeBehind: (key, content) => writeFile(join(dir, 'artifacts', ...key.split('/')), content),
      tearDown: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

export const s3Backend: Backend = {
  name: 's3',
  async setUp() {
    const minio = testMinio();
    const dir = await scratch();
    const prefix = `contract/${randomUUID()}`;
    // A small part size so multipart paths run on test-sized data too.
    const store = openStore(`s3://${minio.bucket}/${prefix}`, {
      s3: minioOptions(minio, { partSize: 5 * 1024 * 1024 }),
    });
    const client = minioClient(minio);
    return {
      store,
      dir,
      outsideUri: `s3://${minio.bucket}/elsewhere/x`,
      writeBehind: async (key, content) => {
        await client.putObject(minio.bucket, `${prefix}/${key}`, content);
      },
      tearDown: async () => {
        const names: string[] = [];
        for await (const item of client.listObjectsV2(minio.bucket, `${prefix}/`, true))
          names.push((item as { name: string }).name);
        if (names.length > 0) await client.removeObjects(minio.bucket, names);
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

export const backends: Backend[] = [fileBackend, s3Backend];
