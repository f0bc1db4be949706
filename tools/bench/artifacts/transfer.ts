/**
 * One transfer in its own process, so its peak memory is its own. Prints one JSON line:
 * `{ "ms": <wall time of the transfer>, "peakRss": <VmHWM bytes>, "digest"?: ... }`.
 *
 *   transfer.ts kiln-put  <store-url> <key> <file>
 *   transfer.ts kiln-get  <store-url> <key> <file>
 *   transfer.ts minio-put <bucket> <object> <file>
 *   transfer.ts minio-get <bucket> <object> <file>
 *
 * Both sides read KILN_S3_ENDPOINT / KILN_S3_ACCESS_KEY / KILN_S3_SECRET_KEY. The plain-client
 * side uses the `minio` client's defaults, as a user of it would.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'minio';
import { openStore } from '../../../libs/artifacts/src';

function peakRss(): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const [mode, where, name, file] = process.argv.slice(2) as [string, string, string, string];
  const endpoint = new URL(env('KILN_S3_ENDPOINT'));
  const client = new Client({
    endPoint: endpoint.hostname,
    port: Number(endpoint.port),
    useSSL: endpoint.protocol === 'https:',
    accessKey: env('KILN_S3_ACCESS_KEY'),
    secretKey: env('KILN_S3_SECRET_KEY'),
    region: 'us-east-1',
  });
  const started = process.hrtime.bigint();
  let digest: string | undefined;
  switch (mode) {
    case 'kiln-put':
      digest = (await openStore(where).putPath(name, file)).digest;
      break;
    case 'kiln-get':
      digest = (await openStore(where).getToPath(name, file)).digest;
      break;
    case 'minio-put':
      await client.fPutObject(where, name, file);
      break;
    case 'minio-get':
      await client.fGetObject(where, name, file);
      break;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ ms, peakRss: peakRss(), ...(digest ? { digest } : {}) })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
