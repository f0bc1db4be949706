/**
 * deploy/ against the real API server: every manifest is accepted by a
 * server-side dry run, and the worker's Role is exactly enough — a token of
 * its ServiceAccount (TokenRequest API) can run a step's pod and read its
 * logs, and cannot read secrets or touch another namespace.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  loadAllYaml,
  RbacAuthorizationV1Api,
  type KubernetesObject,
  type V1RoleBinding,
} from '@kubernetes/client-node';
import {
  cluster,
  component,
  deleteRunPods,
  runInActivity,
  stepRequest,
  workspaceRoot,
  type Cluster,
} from './support/cluster';

jest.setTimeout(60_000);

const deployDir = join(workspaceRoot(), 'deploy');

function manifestFiles(dir = deployDir): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return manifestFiles(path);
      return /\.ya?ml$/.test(entry) && entry !== 'kustomization.yaml' ? [path] : [];
    })
    .sort();
}

/**
 * What `kubectl apply -k` with `namespace:` does: namespace on every object and on ServiceAccount
 * subjects that name none (kustomize 5 leaves a subject namespace that is already written alone,
 * which is why the manifests must not write one: see the test below).
 */
function inNamespace(object: KubernetesObject, namespace: string): KubernetesObject {
  const copy = structuredClone(object);
  copy.metadata = { ...copy.metadata, namespace };
  if (copy.kind === 'RoleBinding') {
    for (const subject of (copy as V1RoleBinding).subjects ?? [])
      if (subject.kind === 'ServiceAccount') subject.namespace ??= namespace;
  }
  return copy;
}

function objectsOf(file: string): KubernetesObject[] {
  return loadAllYaml(readFileSync(file, 'utf8')).filter(
    (o): o is KubernetesObject => o !== null && typeof o === 'object',
  );
}

let c: Cluster;
const runs: string[] = [];

beforeAll(() => {
  c = cluster();
});
afterAll(async () => {
  await deleteRunPods(c, runs);
  await c.cleanup();
});

test('deploy/ has manifests for the worker and the API, and the kustomization lists them all', () => {
  const files = manifestFiles().map((f) => relative(deployDir, f));
  expect(files).toEqual(
    expect.arrayContaining([
      'worker/deployment.yaml',
      'worker/role.yaml',
      'worker/rolebinding.yaml',
      'worker/serviceaccount.yaml',
      'api/deployment.yaml',
      'api/service.yaml',
      'api/serviceaccount.yaml',
    ]),
  );
  const kustomization = readFileSync(join(deployDir, 'kustomization.yaml'), 'utf8');
  for (const file of files) expect(kustomization).toContain(`- ${file}`);
});

test('RoleBinding subjects name no namespace, so kustomize puts them in the namespace of any overlay', () => {
  const bindings = manifestFiles()
    .flatMap(objectsOf)
    .filter((o) => o.kind === 'RoleBinding') as V1RoleBinding[];
  expect(bindings.length).toBeGreaterThanOrEqual(2);
  for (const binding of bindings) {
    for (const subject of binding.subjects ?? [])
      expect({ binding: binding.metadata?.name, namespace: subject.namespace }).toEqual({
        binding: binding.metadata?.name,
        namespace: undefined,
      });
  }
});

test.each(manifestFiles().map((f) => [relative(deployDir, f), f]))(
  '%s is accepted by a server-side dry run',
  async (_name, file) => {
    const api = KubernetesObjectApi.makeApiClient(c.kc);
    const objects = objectsOf(file);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) {
      const created = await api.create(inNamespace(object, c.namespace), undefined, 'All');
      expect(created.kind).toBe(object.kind);
      expect(created.metadata?.name).toBe(object.metadata?.name);
    }
  },
);

test('the dry run really validates: a Deployment whose container has no image is rejected', async () => {
  const api = KubernetesObjectApi.makeApiClient(c.kc);
  const [deployment] = objectsOf(join(deployDir, 'worker', 'deployment.yaml'));
  const broken = inNamespace(deployment as KubernetesObject, c.namespace) as KubernetesObject & {
    spec: { template: { spec: { containers: { image?: string }[] } } };
  };
  delete broken.spec.template.spec.containers[0]?.image;
  await expect(api.create(broken, undefined, 'All')).rejects.toMatchObject({ code: 422 });
});

describe("the worker's ServiceAccount token", () => {
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const name = `kiln-worker-rbac-${suffix}`;
  let workerKc: KubeConfig;

  beforeAll(async () => {
    const core = c.kc.makeApiClient(CoreV1Api);
    const rbac = c.kc.makeApiClient(RbacAuthorizationV1Api);
    const rename = <T extends KubernetesObject>(file: string): T => {
      const object = inNamespace(objectsOf(join(deployDir, 'worker', file))[0] as KubernetesObject, c.namespace) as T;
      object.metadata = { ...object.metadata, name };
      return object;
    };
    const binding = rename<V1RoleBinding>('rolebinding.yaml');
    binding.roleRef.name = name;
    for (const subject of binding.subjects ?? []) subject.name = name;
    await core.createNamespacedServiceAccount({ namespace: c.namespace, body: rename('serviceaccount.yaml') });
    await rbac.createNamespacedRole({ namespace: c.namespace, body: rename('role.yaml') });
    await rbac.createNamespacedRoleBinding({ namespace: c.namespace, body: binding });
    const token = await core.createNamespacedServiceAccountToken({
      namespace: c.namespace,
      name,
      body: { spec: { audiences: ['https://kubernetes.default.svc'], expirationSeconds: 600 } },
    });
    const server = c.kc.getCurrentCluster();
    if (!server || !token.status?.token) throw new Error('no cluster or no token');
    workerKc = new KubeConfig();
    workerKc.loadFromOptions({
      clusters: [
        {
          name: 'test',
          server: server.server,
          ...(server.caData && { caData: server.caData }),
          ...(server.caFile && { caFile: server.caFile }),
          skipTLSVerify: false,
        },
      ],
      users: [{ name, token: token.status.token }],
      contexts: [{ name: 'worker', cluster: 'test', user: name, namespace: c.namespace }],
      currentContext: 'worker',
    });
  });
  afterAll(async () => {
    const core = c.kc.makeApiClient(CoreV1Api);
    const rbac = c.kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.deleteNamespacedRoleBinding({ namespace: c.namespace, name }).catch(() => undefined);
    await rbac.deleteNamespacedRole({ namespace: c.namespace, name }).catch(() => undefined);
    await core.deleteNamespacedServiceAccount({ namespace: c.namespace, name }).catch(() => undefined);
  });

  async function allowed(attributes: {
    verb: string;
    resource: string;
    subresource?: string;
    namespace?: string;
  }): Promise<boolean> {
    const review = await workerKc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { group: '', ...attributes } } },
    });
    return review.status?.allowed ?? false;
  }

  test('may create, get, list, watch and delete pods and read pod logs in its namespace', async () => {
    for (const verb of ['create', 'get', 'list', 'watch', 'delete'])
      expect([verb, await allowed({ verb, resource: 'pods', namespace: c.namespace })]).toEqual([verb, true]);
    expect(await allowed({ verb: 'get', resource: 'pods', subresource: 'log', namespace: c.namespace })).toBe(true);
  });

  test('may not read secrets, update pods, or touch pods in another namespace or cluster-wide', async () => {
    expect(await allowed({ verb: 'list', resource: 'secrets', namespace: c.namespace })).toBe(false);
    expect(await allowed({ verb: 'get', resource: 'secrets', namespace: c.namespace })).toBe(false);
    expect(await allowed({ verb: 'update', resource: 'pods', namespace: c.namespace })).toBe(false);
    expect(await allowed({ verb: 'patch', resource: 'pods', namespace: c.namespace })).toBe(false);
    expect(await allowed({ verb: 'create', resource: 'pods', namespace: 'default' })).toBe(false);
    expect(await allowed({ verb: 'list', resource: 'pods' })).toBe(false);
    const core = workerKc.makeApiClient(CoreV1Api);
    await expect(core.listNamespacedSecret({ namespace: c.namespace })).rejects.toMatchObject({ code: 403 });
    await expect(core.listNamespacedPod({ namespace: 'default' })).rejects.toMatchObject({ code: 403 });
  });

  test('is enough to run a step end to end with the Kubernetes executor', async () => {
    const req = stepRequest(
      component(
        ['/bin/sh', '-c', 'echo with least privilege; printf ok > "$0"', { kind: 'outputPath', output: 'status' }],
        {
          outputs: { status: { kind: 'param', type: 'string' } },
        },
      ),
      { outputs: { params: { status: 'string' }, artifacts: {} } },
    );
    runs.push(req.runId);
    const result = await runInActivity(c.deps({ kube: workerKc }), req).result;
    expect(result.outputs.params).toEqual({ status: 'ok' });
    expect(await c.store.readText(c.store.keyOf(result.logUri ?? ''))).toContain('with least privilege');
  });
});
