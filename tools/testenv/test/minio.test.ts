import { Client } from 'minio';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { getTestEnvironment, type MinioInfo } from '../src/index';

let minio: MinioInfo;
let client: Client;

beforeAll(() => {
  minio = getTestEnvironment(['minio']).minio;
  const url = new URL(minio.endpoint);
  client = new Client({
    endPoint: url.hostname,
    port: Number(url.port),
    useSSL: url.protocol === 'https:',
    accessKey: minio.accessKey,
    secretKey: minio.secretKey,
  });
}, 30 * 60_000);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('MinIO', () => {
  it('round-trips an object byte for byte', async () => {
    const key = `smoke/${randomBytes(8).toString('hex')}.bin`;
    const body = randomBytes(256 * 1024 + 7);
    await client.putObject(minio.bucket, key, body, body.length);
    const stat = await client.statObject(minio.bucket, key);
    expect(stat.size).toBe(body.length);
    const read = await readAll(await client.getObject(minio.bucket, key));
    expect(read.equals(body)).toBe(true);
    await client.removeObject(minio.bucket, key);
  });
});
