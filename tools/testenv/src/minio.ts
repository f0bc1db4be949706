import { Client } from 'minio';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { required, type PartContext } from './part';
import { freePorts } from './ports';
import { waitUntilReady } from './processes';
import type { MinioInfo } from './types';

/** Fixed credentials: the server only listens on 127.0.0.1 and holds throwaway test data. */
const credentials = { accessKey: 'kiln-test', secretKey: 'kiln-test-secret' };
const bucket = 'kiln-test';

export async function startMinio(ctx: PartContext): Promise<MinioInfo> {
  const [port, consolePort] = await freePorts(2);
  const data = join(ctx.dir, 'minio', 'data');
  mkdirSync(data, { recursive: true });
  const record = ctx.launch({
    name: 'minio',
    command: required(ctx.binaries.minio, 'minio'),
    args: [
      'server',
      data,
      '--address',
      `127.0.0.1:${port}`,
      '--console-address',
      `127.0.0.1:${consolePort}`,
      '--quiet',
    ],
    env: {
      MINIO_ROOT_USER: credentials.accessKey,
      MINIO_ROOT_PASSWORD: credentials.secretKey,
      MINIO_BROWSER: 'off',
      // No internet here, and a test server must not phone home.
      MINIO_UPDATE: 'off',
      MINIO_CALLHOME_ENABLE: 'off',
    },
    log: join(ctx.dir, 'minio.log'),
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilReady(record, async () => (await fetch(`${endpoint}/minio/health/ready`)).ok, 60_000);
  const client = minioClient(port);
  if (!(await client.bucketExists(bucket))) await client.makeBucket(bucket);
  return { endpoint, ...credentials, bucket };
}

function minioClient(port: number): Client {
  return new Client({ endPoint: '127.0.0.1', port, useSSL: false, ...credentials });
}
