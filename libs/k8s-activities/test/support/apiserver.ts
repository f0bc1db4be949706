/**
 * A private test cluster whose kube-apiserver a test may restart. It is a
 * second tools/testenv instance (own state dir, own ports, etcd, API server and
 * node agent, same cached binaries), so a restart never disturbs the shared
 * cluster other test suites are using. The restart reads testenv's state.json
 * for the API server's pid, takes its command line, environment and working
 * directory from /proc, kills it, starts it again the same way, and records the
 * new pid so `tools/testenv/down` still stops it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { workspaceRoot } from './cluster';

interface ProcessRecord {
  name: string;
  pid: number;
  startTime: string;
  log: string;
}

export interface PrivateCluster {
  stateDir: string;
  kubeconfig: string;
  namespace: string;
  down(): void;
}

/** Starts (or reuses) a testenv Kubernetes instance in its own state dir. */
export function privateCluster(stateDir: string): PrivateCluster {
  const root = workspaceRoot();
  const env = { ...process.env, KILN_TESTENV_DIR: stateDir };
  const out = execFileSync(join(root, 'tools', 'testenv', 'up'), ['kubernetes'], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 180_000,
  });
  const info = (JSON.parse(out) as { kubernetes: { kubeconfig: string; namespace: string } }).kubernetes;
  return {
    stateDir,
    ...info,
    down: () =>
      execFileSync(join(root, 'tools', 'testenv', 'down'), [], { cwd: root, env, stdio: 'ignore', timeout: 60_000 }),
  };
}

function procStartTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Stops the API server of the testenv instance in `stateDir`, waits `downMs`,
 * starts it again with the same command line and waits until it is ready.
 * Returns how long the API was unavailable.
 */
export async function restartApiServer(stateDir: string, kubeconfig: string, downMs = 2_000): Promise<number> {
  const stateFile = join(stateDir, 'state.json');
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { processes: { kubernetes?: ProcessRecord[] } };
  const record = state.processes.kubernetes?.find((p) => p.name === 'kube-apiserver');
  if (!record || !alive(record.pid)) throw new Error(`no running kube-apiserver recorded in ${stateFile}`);
  const argv = readFileSync(`/proc/${record.pid}/cmdline`, 'utf8')
    .split('\0')
    .filter((a) => a.length > 0);
  const environ = Object.fromEntries(
    readFileSync(`/proc/${record.pid}/environ`, 'utf8')
      .split('\0')
      .filter((e) => e.includes('='))
      .map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
  const cwd = readlinkSync(`/proc/${record.pid}/cwd`);
  const [command, ...args] = argv;
  if (!command || !existsSync(command))
    throw new Error(`cannot read the API server's command line (pid ${record.pid})`);

  const stoppedAt = Date.now();
  // SIGKILL, like a crash: connections drop without a goodbye (a SIGTERM'd API server drains watches for a minute).
  process.kill(-record.pid, 'SIGKILL');
  while (alive(record.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, downMs));

  const log = openSync(record.log, 'a');
  const child = spawn(command, args, { cwd, env: environ, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not restart kube-apiserver');
  record.pid = pid;
  record.startTime = procStartTime(pid);
  writeFileSync(`${stateFile}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${stateFile}.tmp`, stateFile);

  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await core.listNamespace({ limit: 1 });
      return Date.now() - stoppedAt;
    } catch {
      if (Date.now() > deadline) throw new Error('kube-apiserver did not come back within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Freezes the API server of the testenv instance in `stateDir` (SIGSTOP) for
 * `ms`, then lets it go on (SIGCONT): open connections stay up but say
 * nothing, which is how a watch dies silently.
 */
export async function freezeApiServer(stateDir: string, ms: number): Promise<void> {
  const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as {
    processes: { kubernetes?: ProcessRecord[] };
  };
  const record = state.processes.kubernetes?.find((p) => p.name === 'kube-apiserver');
  if (!record || !alive(record.pid)) throw new Error(`no running kube-apiserver recorded in ${stateDir}`);
  process.kill(record.pid, 'SIGSTOP');
  try {
    await new Promise((resolve) => setTimeout(resolve, ms));
  } finally {
    process.kill(record.pid, 'SIGCONT');
  }
}
