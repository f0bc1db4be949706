/**
 * The Kiln API (apps/api) as a child process for `kiln dev`: started exactly
 * as it is deployed (its own config validation, its own main), configured
 * through its environment variables, and stopped by pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../errors';

export interface ApiProcess {
  url: string;
  pid: number;
  /** Resolves when the process exits, with its exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** apps/api/src/main.ts of this checkout, found from the CLI's own location or the working directory. */
export function apiMainPath(): string {
  const relative = join('apps', 'api', 'src', 'main.ts');
  const starts = [...(process.argv[1] ? [dirname(resolve(process.argv[1]))] : []), process.cwd()];
  for (const start of starts) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, relative))) return join(dir, relative);
      if (dirname(dir) === dir) break;
    }
  }
  throw new CliError(
    `cannot find ${relative} above ${starts.join(' or ')}: kiln dev runs from a Kiln checkout (bin/kiln)`,
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts the API on `port` with `env` (KILN_* settings) and waits for /healthz.
 * Its log lines go to `log`.
 */
export async function startApiProcess(
  port: number,
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<ApiProcess> {
  const url = `http://127.0.0.1:${port}`;
  // The same Node flags as this process: under bin/kiln that is tsx's loader, which runs the API's TypeScript.
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, apiMainPath()], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, KILN_API_HOST: '127.0.0.1', KILN_API_PORT: String(port) },
  });
  const recent: string[] = [];
  const onLine = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      log(line);
    }
  };
  child.stdout?.on('data', onLine);
  child.stderr?.on('data', onLine);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new CliError(`the Kiln API did not start on ${url}:\n${recent.join('\n').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid ?? 0, exited, stop };
}
