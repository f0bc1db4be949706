/**
 * An embedded Temporal dev server for `kiln run` when no TEMPORAL_ADDRESS is
 * set: in memory, on free 127.0.0.1 ports, with the Web UI and Kiln's search
 * attributes. Stopped by pid when the command ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { kilnSearchAttributeTypes } from '@kiln/engine-contract';
import { CliError } from '../errors';
import { ensureTemporalCli } from './temporal-cli';

export interface EmbeddedTemporal {
  address: string;
  namespace: string;
  ui: string;
  stop(): Promise<void>;
}

export async function startEmbeddedTemporal(log: (line: string) => void): Promise<EmbeddedTemporal> {
  const binary = await ensureTemporalCli(log);
  const [port, uiPort, httpPort, metricsPort] = await freePorts(4);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--http-port',
    String(httpPort),
    '--metrics-port',
    String(metricsPort),
    '--namespace',
    'default',
    '--log-level',
    'error',
    '--ui-disable-news-fetch',
    ...Object.entries(kilnSearchAttributeTypes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const output: string[] = [];
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => output.push(chunk.toString());
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: EmbeddedTemporal = {
    address: `127.0.0.1:${port}`,
    namespace: 'default',
    ui: `http://127.0.0.1:${uiPort}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  const deadline = Date.now() + 60_000;
  while (!(await answers(server.address))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await server.stop();
      throw new CliError(`the embedded Temporal dev server did not start:\n${output.join('').slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return server;
}

async function answers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/** Ports the OS hands out now; held until all are known so they differ. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}
