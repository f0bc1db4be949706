import { Connection } from '@temporalio/client';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { required, type PartContext } from './part';
import { freePorts } from './ports';
import { waitUntilReady } from './processes';
import type { TemporalInfo } from './types';

/** Registered at start so workflows can be listed by pipeline, digest, experiment and status. */
export const kilnSearchAttributes = {
  KilnPipelineName: 'Keyword',
  KilnPipelineDigest: 'Keyword',
  KilnExperiment: 'Keyword',
  KilnRunStatus: 'Keyword',
} as const;

export async function startTemporal(ctx: PartContext): Promise<TemporalInfo> {
  const [port, uiPort, httpPort, metricsPort] = await freePorts(4);
  const dir = join(ctx.dir, 'temporal');
  mkdirSync(dir, { recursive: true });
  const record = ctx.launch({
    name: 'temporal',
    command: required(ctx.binaries.temporal, 'temporal'),
    args: [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--ui-port',
      String(uiPort),
      // Pinned rather than left random, so every listener is known to be on 127.0.0.1.
      '--http-port',
      String(httpPort),
      '--metrics-port',
      String(metricsPort),
      '--namespace',
      'default',
      '--db-filename',
      join(dir, 'temporal.db'),
      '--log-level',
      'warn',
      '--ui-disable-news-fetch',
      ...Object.entries(kilnSearchAttributes).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
    ],
    log: join(ctx.dir, 'temporal.log'),
  });
  const info: TemporalInfo = {
    address: `127.0.0.1:${port}`,
    namespace: 'default',
    ui: `http://127.0.0.1:${uiPort}`,
  };
  await waitUntilReady(record, () => temporalAnswers(info), 60_000);
  return info;
}

/** Ready means the frontend serves the namespace over gRPC, not merely that the port is open. */
export async function temporalAnswers(info: TemporalInfo): Promise<boolean> {
  const connection = await Connection.connect({ address: info.address, connectTimeout: 1_000 });
  try {
    await connection.workflowService.describeNamespace({ namespace: info.namespace });
    return true;
  } finally {
    await connection.close();
  }
}
