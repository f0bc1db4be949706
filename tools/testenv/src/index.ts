/**
 * Real servers for Kiln's tests and benchmarks: a Temporal dev server, MinIO, and a Kubernetes API
 * server (etcd + kube-apiserver + Kiln's node agent), all on 127.0.0.1. Nothing is mocked.
 *
 * The servers are started by `tools/testenv/up [temporal] [minio] [kubernetes]`, which prints
 * the {@link TestEnvironment} JSON; `tools/testenv/down` stops them. The top-level test command
 * starts them once and passes that JSON to every test process in `KILN_TESTENV`.
 *
 * @example
 * ```ts
 * import { getTestEnvironment } from '@kiln/testenv';
 * import { NativeConnection } from '@temporalio/worker';
 *
 * const env = getTestEnvironment(['temporal', 'minio']);
 * const connection = await NativeConnection.connect({ address: env.temporal.address });
 * console.log(env.minio.endpoint, env.minio.bucket);
 * ```
 *
 * @packageDocumentation
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './paths';
import { testEnvironmentSchema, type PartName, type TestEnvironment } from './types';

export { partNames } from './types';
export type { KubernetesInfo, MinioInfo, PartName, TemporalInfo, TestEnvironment } from './types';

/** A {@link TestEnvironment} in which the requested parts are known to be present. */
export type TestEnvironmentWith<P extends PartName> = TestEnvironment & { [K in P]-?: NonNullable<TestEnvironment[K]> };

/**
 * Returns how to reach the requested servers. Uses `KILN_TESTENV` (JSON from `up`) when set;
 * otherwise runs `tools/testenv/up <parts>` synchronously, which reuses running servers and may
 * install missing ones first (minutes on a cold cache; progress goes to stderr).
 *
 * @throws if `KILN_TESTENV` lacks a requested part, or if `up` fails (its message names the
 *   server and its log file).
 */
export function getTestEnvironment<P extends PartName>(parts: readonly P[]): TestEnvironmentWith<P> {
  const fromEnv = process.env['KILN_TESTENV'];
  const env = fromEnv ? parse(fromEnv, 'KILN_TESTENV') : runUp(parts);
  const missing = parts.filter((part) => env[part] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `The test environment lacks ${missing.join(', ')}` +
        (fromEnv ? ` (KILN_TESTENV was set without it; start it with tools/testenv/up ${missing.join(' ')})` : ''),
    );
  }
  return env as TestEnvironmentWith<P>;
}

function runUp(parts: readonly PartName[]): TestEnvironment {
  const root = workspaceRoot();
  const stdout = execFileSync(join(root, 'tools', 'testenv', 'up'), [...parts], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return parse(stdout, 'tools/testenv/up');
}

function parse(json: string, source: string): TestEnvironment {
  try {
    return testEnvironmentSchema.parse(JSON.parse(json));
  } catch (error) {
    throw new Error(`${source} did not yield test environment JSON: ${String(error)}\n${json}`, { cause: error });
  }
}
export { freePorts } from './ports';
