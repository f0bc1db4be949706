// The agent process itself: SIGTERM kills its containers and reports them as a
// node shutdown; a restart after SIGKILL finds the orphans, kills them and marks
// their pods failed. Uses a second agent with its own Node so the shared one is untouched.
import { CoordinationV1Api, type V1Pod } from '@kubernetes/client-node';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type Cluster,
  connect,
  createPod,
  deletePod,
  processAlive,
  uniqueName,
  waitProcessGone,
  waitForPod,
} from './node-agent-helpers';

const root = path.resolve(__dirname, '../../..');
let c: Cluster;
let dir: string;
let nodeName: string;
let port: number;
const pods: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

// One process (tsx as a loader, not its CLI wrapper), so SIGKILL really kills the agent.
function startAgent(): ChildProcess {
  const log = openSync(path.join(dir, 'agent.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'tools/testenv/src/node-agent/main.ts'),
      ...['--kubeconfig', getKubeconfig(), '--node-name', nodeName, '--data-dir', path.join(dir, 'data')],
      // Its own scheduler name keeps it away from the pods of tests running meanwhile.
      ...['--scheduler-name', nodeName],
      ...['--port', String(port), '--tls-cert', path.join(dir, 'tls.crt'), '--tls-key', path.join(dir, 'tls.key')],
    ],
    { cwd: root, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  return child;
}

let kubeconfig = '';
const getKubeconfig = (): string => kubeconfig;

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function waitNodeReady(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const node = await c.core.readNode({ name: nodeName }).catch(() => undefined);
    const hb = node?.status?.conditions?.find((x) => x.type === 'Ready')?.lastHeartbeatTime;
    // A fresh heartbeat: the node object may be left from the agent's previous run.
    if (hb && Date.now() - new Date(hb).getTime() < 5000) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`node ${nodeName} not ready`);
}

async function sleeperOnNode(prefix: string): Promise<{ name: string; pid: number }> {
  const name = uniqueName(prefix);
  pods.push(name);
  await createPod(c, name, {
    restartPolicy: 'Never',
    schedulerName: nodeName,
    containers: [{ name: 'main', image: 'busybox', command: ['sleep', '1000'] }],
  });
  const running = await waitForPod(c, name, (p) => p.status?.containerStatuses?.[0]?.state?.running !== undefined);
  expect(running.spec?.nodeName).toBe(nodeName);
  return { name, pid: Number(running.status?.containerStatuses?.[0]?.containerID?.replace('kiln://', '')) };
}

beforeAll(async () => {
  c = connect();
  const { kubernetes } = (await import('../src/index')).getTestEnvironment(['kubernetes']);
  kubeconfig = kubernetes.kubeconfig;
  dir = mkdtempSync(path.join(tmpdir(), 'kiln-agent-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path.join(dir, 'tls.key'),
      '-out',
      path.join(dir, 'tls.crt'),
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  nodeName = uniqueName('kiln-test-node-b');
  port = await freePort();
}, 30 * 60_000);

afterAll(async () => {
  await Promise.all(pods.map((p) => deletePod(c, p)));
  await c.core.deleteNode({ name: nodeName }).catch(() => undefined);
  // No garbage collector runs in the test cluster to follow the Lease's owner reference.
  await c.kc
    .makeApiClient(CoordinationV1Api)
    .deleteNamespacedLease({ namespace: 'kube-node-lease', name: nodeName })
    .catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('node agent process', () => {
  it('on SIGTERM kills its containers and reports a node shutdown', async () => {
    const agent = startAgent();
    try {
      await waitNodeReady();
      const { name, pid } = await sleeperOnNode('shutdown');
      expect(processAlive(pid)).toBe(true);
      agent.kill('SIGTERM');
      expect(await exited(agent)).toBe(0);
      expect(await waitProcessGone(pid)).toBe(true);
      const pod: V1Pod = await c.core.readNamespacedPod({ namespace: c.namespace, name });
      expect(pod.status?.phase).toBe('Failed');
      expect(pod.status?.reason).toBe('Terminated');
      expect(pod.status?.conditions?.find((x) => x.type === 'DisruptionTarget')?.status).toBe('True');
    } finally {
      agent.kill('SIGKILL');
    }
  }, 60_000);

  it('after a crash, kills orphaned containers and marks their pods failed', async () => {
    let agent = startAgent();
    try {
      await waitNodeReady();
      const { name, pid } = await sleeperOnNode('crash');
      agent.kill('SIGKILL');
      await exited(agent);
      expect(processAlive(pid)).toBe(true); // orphaned, like a container whose kubelet died
      agent = startAgent();
      await waitForPod(c, name, (p) => p.status?.phase === 'Failed');
      const pod = await c.core.readNamespacedPod({ namespace: c.namespace, name });
      expect(pod.status?.reason).toBe('NodeAgentRestarted');
      expect(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(137);
      expect(await waitProcessGone(pid)).toBe(true);
      agent.kill('SIGTERM');
      await exited(agent);
    } finally {
      agent.kill('SIGKILL');
    }
  }, 60_000);
});
