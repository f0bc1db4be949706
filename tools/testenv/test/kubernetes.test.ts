import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { getTestEnvironment, type KubernetesInfo } from '../src/index';

let kubernetes: KubernetesInfo;
let core: CoreV1Api;

beforeAll(() => {
  kubernetes = getTestEnvironment(['kubernetes']).kubernetes;
  const kc = new KubeConfig();
  kc.loadFromFile(kubernetes.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
}, 30 * 60_000);

describe('the Kubernetes API server', () => {
  it('lists namespaces, including the test namespace', async () => {
    const namespaces = await core.listNamespace();
    const names = namespaces.items.map((ns) => ns.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', kubernetes.namespace]));
  });

  it('has the default ServiceAccount in the test namespace', async () => {
    const sa = await core.readNamespacedServiceAccount({ name: 'default', namespace: kubernetes.namespace });
    expect(sa.metadata?.name).toBe('default');
  });

  it('has the node kiln-test-node Ready', async () => {
    const node = await core.readNode({ name: 'kiln-test-node' });
    const ready = node.status?.conditions?.find((condition) => condition.type === 'Ready');
    expect(ready?.status).toBe('True');
  });
});
