/**
 * A MinIO of our own, from the binary tools/testenv installed, on its own port and data folder:
 * fault tests stop and restart it without disturbing the shared test server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { MinioInfo } from '@kiln/testenv';
import { minioClient } from './backends';

export interface DedicatedMinio {
  info: MinioInfo;
  /** The server's pid while it runs. */
  pid(): number | undefined;
  /** SIGKILL and wait for the exit: as abrupt as a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
}

export function minioBinary(): string {
  const cache =
    process.env['KILN_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'kiln');
  const bin = join(cache, 'bin');
  const found = existsSync(bin)
    ? readdirSync(bin)
        .filter((f) => f.startsWith('minio-'))
        .sort()
        .pop()
    : undefined;
  if (!found) throw new Error(`no MinIO binary under ${bin}; run tools/testenv/up minio once to install it`);
  return join(bin, found);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startDedicatedMinio(dir: string): Promise<DedicatedMinio> {
  const port = await freePort();
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const info: MinioInfo = {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey: 'kiln-fault',
    secretKey: 'kiln-fault-secret',
    bucket: 'kiln-fault',
  };
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const log = openSync(join(dir, 'minio.log'), 'a');
    child = spawn(
      minioBinary(),
      [
        'server',
        data,
        '--address',
        `127.0.0.1:${port}`,
        '--console-address',
        `127.0.0.1:${await freePort()}`,
        '--quiet',
      ],
      {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: dir,
          MINIO_ROOT_USER: info.accessKey,
          MINIO_ROOT_PASSWORD: info.secretKey,
          MINIO_BROWSER: 'off',
          MINIO_UPDATE: 'off',
          MINIO_CALLHOME_ENABLE: 'off',
        },
        stdio: ['ignore', log, log],
      },
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await fetch(`${info.endpoint}/minio/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`dedicated MinIO did not start; see ${join(dir, 'minio.log')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const kill = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  const client = minioClient(info);
  if (!(await client.bucketExists(info.bucket))) await client.makeBucket(info.bucket);
  return { info, pid: () => child?.pid, kill, start };
}
