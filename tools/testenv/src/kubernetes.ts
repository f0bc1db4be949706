import { ApiException, CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { required, type PartContext } from './part';
import { nodeAgentMain, workspaceRoot } from './paths';
import { ensurePki, type Pki } from './pki';
import { freePorts } from './ports';
import { progress } from './progress';
import { waitUntilReady } from './processes';
import type { KubernetesInfo } from './types';

export const testNamespace = 'kiln-test';
export const testNodeName = 'kiln-test-node';

/**
 * etcd + kube-apiserver + Kiln's node agent. There is no controller-manager or scheduler: the node
 * agent binds and runs pods itself, and what controllers would create (the namespace's `default`
 * ServiceAccount, the `kube-root-ca.crt` ConfigMap) is created here.
 */
export async function startKubernetes(ctx: PartContext): Promise<KubernetesInfo> {
  const dir = join(ctx.dir, 'kubernetes');
  mkdirSync(dir, { recursive: true });
  const pki = ensurePki(join(dir, 'pki'));
  const token = adminToken(dir);
  const [etcdPort, etcdPeerPort, apiPort, agentPort] = await freePorts(4);

  const etcdUrl = await startEtcd(ctx, join(dir, 'etcd'), etcdPort, etcdPeerPort);

  const apiserver = ctx.launch({
    name: 'kube-apiserver',
    command: required(ctx.binaries.kubeApiserver, 'kube-apiserver'),
    args: apiserverArgs({ dir, pki, etcdUrl, apiPort }),
    log: join(ctx.dir, 'kube-apiserver.log'),
  });
  const server = `https://127.0.0.1:${apiPort}`;
  const ca = readFileSync(pki.caCert);
  await waitUntilReady(apiserver, async () => (await httpsGet(`${server}/readyz`, ca, token)) === 200, 120_000);

  const kubeconfig = join(ctx.dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, server, ca, token);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  await prepareNamespace(core, ca.toString());

  await startNodeAgent(ctx, { kubeconfig, pki, agentPort, core });
  return { kubeconfig, namespace: testNamespace };
}

/** A fresh etcd at `etcdData`, ready; its client URL. */
async function startEtcd(ctx: PartContext, etcdData: string, etcdPort: number, etcdPeerPort: number): Promise<string> {
  // A fresh etcd on every start: its stored member URLs would name the previous run's ports.
  rmSync(etcdData, { recursive: true, force: true });
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
  const etcd = ctx.launch({
    name: 'etcd',
    command: required(ctx.binaries.etcd, 'etcd'),
    args: [
      '--name',
      'kiln-test',
      '--data-dir',
      etcdData,
      '--listen-client-urls',
      etcdUrl,
      '--advertise-client-urls',
      etcdUrl,
      '--listen-peer-urls',
      peerUrl,
      '--initial-advertise-peer-urls',
      peerUrl,
      '--initial-cluster',
      `kiln-test=${peerUrl}`,
      // Throwaway data: durability costs seconds per test run on slow disks.
      '--unsafe-no-fsync',
      '--log-level',
      'warn',
    ],
    log: join(ctx.dir, 'etcd.log'),
  });
  await waitUntilReady(etcd, async () => (await fetch(`${etcdUrl}/health`)).ok, 30_000);
  return etcdUrl;
}

/**
 * Kiln's node agent (tools/testenv/src/node-agent), ready once its Node reports Ready; without it (not in this
 * checkout) the API server runs with no node.
 */
async function startNodeAgent(
  ctx: PartContext,
  { kubeconfig, pki, agentPort, core }: { kubeconfig: string; pki: Pki; agentPort: number; core: CoreV1Api },
): Promise<void> {
  const agentMain = nodeAgentMain();
  if (existsSync(agentMain)) {
    const agent = ctx.launch({
      name: 'node-agent',
      command: process.execPath,
      // `node --import tsx` keeps the agent one process (the tsx CLI would wrap it in a second one).
      args: [
        '--import',
        'tsx',
        agentMain,
        '--kubeconfig',
        kubeconfig,
        '--node-name',
        testNodeName,
        '--data-dir',
        join(ctx.dir, 'node-agent'),
        '--port',
        String(agentPort),
        '--tls-cert',
        pki.nodeAgentCert,
        '--tls-key',
        pki.nodeAgentKey,
      ],
      cwd: workspaceRoot(),
      log: join(ctx.dir, 'node-agent.log'),
    });
    await waitUntilReady(agent, async () => isReady(await core.readNode({ name: testNodeName })), 60_000);
  } else {
    progress(`node agent not found at ${agentMain}; the API server runs without a node, so pods will stay Pending`);
  }
}

function apiserverArgs(o: { dir: string; pki: Pki; etcdUrl: string; apiPort: number }): string[] {
  const { pki } = o;
  return [
    '--bind-address=127.0.0.1',
    `--secure-port=${o.apiPort}`,
    `--etcd-servers=${o.etcdUrl}`,
    `--cert-dir=${join(o.dir, 'apiserver-certs')}`,
    `--tls-cert-file=${pki.apiserverCert}`,
    `--tls-private-key-file=${pki.apiserverKey}`,
    `--client-ca-file=${pki.caCert}`,
    `--token-auth-file=${join(o.dir, 'tokens.csv')}`,
    '--authorization-mode=Node,RBAC',
    '--service-account-issuer=https://kubernetes.default.svc',
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    '--api-audiences=https://kubernetes.default.svc',
    // An allocator range only: nothing routes service traffic in the test cluster.
    '--service-cluster-ip-range=10.96.0.0/16',
    // The default reconciler would publish 127.0.0.1 as the `kubernetes` Endpoints, which
    // validation rejects as loopback; no pod dials the API through the service anyway.
    '--endpoint-reconciler-type=none',
    '--kubelet-preferred-address-types=InternalIP',
    `--kubelet-client-certificate=${pki.kubeletClientCert}`,
    `--kubelet-client-key=${pki.kubeletClientKey}`,
    `--kubelet-certificate-authority=${pki.caCert}`,
    // Without a controller-manager nothing would remove the not-ready taint this plugin puts on
    // new Nodes, so the node agent's Node would stay unschedulable for real schedulers.
    '--disable-admission-plugins=TaintNodesByCondition',
    // Saves startup time; a single-user test server needs no request fairness.
    '--enable-priority-and-fairness=false',
    '--allow-privileged=true',
    '--profiling=false',
  ];
}

/** One admin token per state dir, kept across restarts so existing kubeconfigs keep working. */
function adminToken(dir: string): string {
  const file = join(dir, 'tokens.csv');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').split(',')[0];
    if (token) return token;
  }
  const token = randomBytes(24).toString('hex');
  writeFileSync(file, `${token},kiln-test-admin,kiln-test-admin,"system:masters"\n`, { mode: 0o600 });
  return token;
}

function writeKubeconfig(file: string, server: string, ca: Buffer, token: string): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kiln-test', cluster: { server, 'certificate-authority-data': ca.toString('base64') } }],
    users: [{ name: 'kiln-test-admin', user: { token } }],
    contexts: [
      { name: 'kiln-test', context: { cluster: 'kiln-test', user: 'kiln-test-admin', namespace: testNamespace } },
    ],
    'current-context': 'kiln-test',
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
}

async function prepareNamespace(core: CoreV1Api, caPem: string): Promise<void> {
  const namespace = testNamespace;
  await ignoreConflict(() => core.createNamespace({ body: { metadata: { name: namespace } } }));
  // Normally the serviceaccount and root-ca-cert-publisher controllers create these.
  await ignoreConflict(() =>
    core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'default' } } }),
  );
  await ignoreConflict(() =>
    core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': caPem } },
    }),
  );
}

async function ignoreConflict(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (!(error instanceof ApiException && error.code === 409)) throw error;
  }
}

function isReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function httpsGet(url: string, ca: Buffer, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { Authorization: `Bearer ${token}` }, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
