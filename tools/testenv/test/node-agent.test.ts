// The node agent against the real API server: pods created with
// @kubernetes/client-node are bound, run as local processes, and reported.
import { Log, type V1Pod } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import {
  type Cluster,
  connect,
  createPod,
  deletePod,
  isFinished,
  processAlive,
  uniqueName,
  waitProcessGone,
  waitForPod,
  waitForPodGone,
} from './node-agent-helpers';

let c: Cluster;
const created: string[] = [];

beforeAll(() => {
  c = connect();
}, 30 * 60_000);

afterAll(async () => {
  await Promise.all(created.map((name) => deletePod(c, name)));
});

function name(prefix: string): string {
  const n = uniqueName(prefix);
  created.push(n);
  return n;
}

const mainStatus = (pod: V1Pod, container = 'main') => pod.status?.containerStatuses?.find((s) => s.name === container);

describe('node agent', () => {
  it('runs a pod to a non-zero exit and serves its log (smoke)', async () => {
    const pod = name('smoke');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo hello; exit 3'] }],
    });
    const done = await waitForPod(c, pod, isFinished);
    expect(done.status?.phase).toBe('Failed');
    expect(done.spec?.nodeName).toBe('kiln-test-node');
    expect(mainStatus(done)?.state?.terminated?.exitCode).toBe(3);
    expect(mainStatus(done)?.state?.terminated?.reason).toBe('Error');
    const log = await c.core.readNamespacedPodLog({ namespace: c.namespace, name: pod, container: 'main' });
    expect(log.split('\n')).toContain('hello');
  }, 30_000);

  it('shares an emptyDir between an init container and the main container', async () => {
    const pod = name('emptydir');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      volumes: [{ name: 'shared', emptyDir: {} }],
      initContainers: [
        {
          name: 'init',
          image: 'busybox',
          command: ['sh', '-c', 'echo from-init > /tmp/kiln-node-agent-test/shared/msg'],
          volumeMounts: [{ name: 'shared', mountPath: '/tmp/kiln-node-agent-test/shared' }],
        },
      ],
      containers: [
        {
          name: 'main',
          image: 'busybox',
          command: ['cat', '/tmp/kiln-node-agent-test/shared/msg'],
          volumeMounts: [{ name: 'shared', mountPath: '/tmp/kiln-node-agent-test/shared' }],
        },
      ],
    });
    const done = await waitForPod(c, pod, isFinished);
    expect(done.status?.phase).toBe('Succeeded');
    expect(done.status?.initContainerStatuses?.[0]?.state?.terminated?.reason).toBe('Completed');
    expect(await c.core.readNamespacedPodLog({ namespace: c.namespace, name: pod, container: 'main' })).toBe(
      'from-init\n',
    );
    // The mount lived only in the containers' mount namespaces, not on the host.
    expect(existsSync('/tmp/kiln-node-agent-test/shared/msg')).toBe(false);
  }, 30_000);

  it('stops a native sidecar once the main container finished', async () => {
    const pod = name('sidecar');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 5,
      initContainers: [
        {
          name: 'side',
          image: 'busybox',
          restartPolicy: 'Always',
          command: ['sh', '-c', 'trap "echo bye; exit 0" TERM; echo up; while true; do sleep 0.1; done'],
        },
      ],
      containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 0.5; echo main-done'] }],
    });
    const done = await waitForPod(c, pod, isFinished);
    expect(done.status?.phase).toBe('Succeeded');
    const side = done.status?.initContainerStatuses?.find((s) => s.name === 'side');
    expect(side?.state?.terminated?.exitCode).toBe(0);
    expect(mainStatus(done)?.state?.terminated?.reason).toBe('Completed');
    expect(await c.core.readNamespacedPodLog({ namespace: c.namespace, name: pod, container: 'side' })).toBe(
      'up\nbye\n',
    );
  }, 30_000);

  it('expands $(VAR) references from env, with $$ escaping', async () => {
    const pod = name('env');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'main',
          image: 'busybox',
          env: [
            { name: 'WHO', value: 'world' },
            { name: 'GREETING', value: 'hello $(WHO)' },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          command: ['sh', '-c', 'echo "$1|$2|$3|$GREETING"', 'sh'],
          args: ['$(GREETING)', '$$(WHO)', '$(POD)'],
        },
      ],
    });
    const done = await waitForPod(c, pod, isFinished);
    expect(done.status?.phase).toBe('Succeeded');
    expect(await c.core.readNamespacedPodLog({ namespace: c.namespace, name: pod, container: 'main' })).toBe(
      `hello world|$(WHO)|${pod}|hello world\n`,
    );
  }, 30_000);

  it('kills the processes of a pod deleted while running, then the pod disappears', async () => {
    const pod = name('delete');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 5,
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '1000'] }],
    });
    const running = await waitForPod(c, pod, (p) => mainStatus(p)?.state?.running !== undefined);
    expect(running.status?.phase).toBe('Running');
    const pid = Number(mainStatus(running)?.containerID?.replace('kiln://', ''));
    expect(processAlive(pid)).toBe(true);
    await c.core.deleteNamespacedPod({ namespace: c.namespace, name: pod });
    await waitForPodGone(c, pod);
    expect(await waitProcessGone(pid)).toBe(true);
  }, 30_000);

  it('OOM-kills a container over its memory limit', async () => {
    const pod = name('oom');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      // `tail` buffers /dev/zero looking for a newline: memory grows until killed.
      containers: [
        { name: 'main', image: 'busybox', command: ['tail', '/dev/zero'], resources: { limits: { memory: '64Mi' } } },
      ],
    });
    const done = await waitForPod(c, pod, isFinished);
    expect(done.status?.phase).toBe('Failed');
    expect(mainStatus(done)?.state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  }, 30_000);

  it('leaves a pod needing a GPU Pending as Unschedulable', async () => {
    const pod = name('gpu');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      containers: [
        { name: 'main', image: 'busybox', command: ['true'], resources: { limits: { 'nvidia.com/gpu': '1' } } },
      ],
    });
    const pending = await waitForPod(
      c,
      pod,
      (p) => p.status?.conditions?.some((x) => x.type === 'PodScheduled' && x.reason === 'Unschedulable') ?? false,
    );
    const cond = pending.status?.conditions?.find((x) => x.type === 'PodScheduled');
    expect(cond?.status).toBe('False');
    expect(cond?.message).toContain('0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
    expect(pending.spec?.nodeName).toBeUndefined();
    expect(pending.status?.phase).toBe('Pending');
  }, 30_000);

  it('follows a log with the Log class until the container exits', async () => {
    const pod = name('follow');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      containers: [
        { name: 'main', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3; do echo line-$i; sleep 0.3; done'] },
      ],
    });
    await waitForPod(c, pod, (p) => mainStatus(p)?.state?.running !== undefined || isFinished(p));
    let text = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString();
        cb();
      },
    });
    const ended = new Promise<void>((resolve) => sink.on('finish', () => resolve()));
    await new Log(c.kc).log(c.namespace, pod, 'main', sink, { follow: true });
    await ended;
    expect(text).toBe('line-1\nline-2\nline-3\n');
  }, 30_000);

  it('fails a pod at its activeDeadlineSeconds', async () => {
    const pod = name('deadline');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      activeDeadlineSeconds: 2,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '100'] }],
    });
    const done = await waitForPod(c, pod, isFinished);
    expect(done.status?.phase).toBe('Failed');
    expect(done.status?.reason).toBe('DeadlineExceeded');
  }, 30_000);

  it('reports image errors without starting the container', async () => {
    const invalid = name('badimage');
    const missing = name('noimage');
    await createPod(c, invalid, {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'Not A/Valid:Image', command: ['true'] }],
    });
    await createPod(c, missing, {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'example.com/does-not-exist:1', command: ['true'] }],
    });
    await waitForPod(c, invalid, (p) => mainStatus(p)?.state?.waiting?.reason === 'InvalidImageName');
    await waitForPod(c, missing, (p) => mainStatus(p)?.state?.waiting?.reason === 'ErrImagePull');
    const backoff = await waitForPod(c, missing, (p) => mainStatus(p)?.state?.waiting?.reason === 'ImagePullBackOff');
    expect(backoff.status?.phase).toBe('Pending');
  }, 30_000);

  it('restarts a failing container under restartPolicy OnFailure', async () => {
    const pod = name('restart');
    await createPod(c, pod, {
      restartPolicy: 'OnFailure',
      volumes: [{ name: 'state', emptyDir: {} }],
      containers: [
        {
          name: 'main',
          image: 'busybox',
          // Fails on the first run, succeeds on the second.
          command: [
            'sh',
            '-c',
            'if [ -f /tmp/kiln-node-agent-test/state/ran ]; then echo second; exit 0; fi; touch /tmp/kiln-node-agent-test/state/ran; echo first; exit 1',
          ],
          volumeMounts: [{ name: 'state', mountPath: '/tmp/kiln-node-agent-test/state' }],
        },
      ],
    });
    const done = await waitForPod(c, pod, isFinished);
    expect(done.status?.phase).toBe('Succeeded');
    expect(mainStatus(done)?.restartCount).toBe(1);
    expect(mainStatus(done)?.lastState?.terminated?.exitCode).toBe(1);
    expect(
      await c.core.readNamespacedPodLog({ namespace: c.namespace, name: pod, container: 'main', previous: true }),
    ).toBe('first\n');
    expect(await c.core.readNamespacedPodLog({ namespace: c.namespace, name: pod, container: 'main' })).toBe(
      'second\n',
    );
  }, 30_000);

  it('fails a container without a command, or with an unknown program, as StartError', async () => {
    const noCommand = name('nocmd');
    const unknown = name('unknowncmd');
    await createPod(c, noCommand, { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] });
    await createPod(c, unknown, {
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'busybox', command: ['no-such-program-kiln'] }],
    });
    for (const [pod, text] of [
      [noCommand, 'node agent needs an explicit command'],
      [unknown, 'executable file not found in $PATH'],
    ] as const) {
      const done = await waitForPod(c, pod, isFinished);
      expect(done.status?.phase).toBe('Failed');
      expect(mainStatus(done)?.state?.terminated).toMatchObject({
        exitCode: 128,
        reason: 'StartError',
        message: expect.stringContaining(text),
      });
    }
  }, 30_000);

  it('mounts ConfigMap and Secret volumes and resolves env from them', async () => {
    const pod = name('config');
    const cm = name('cm');
    const secret = name('secret');
    await c.core.createNamespacedConfigMap({
      namespace: c.namespace,
      body: { metadata: { name: cm }, data: { 'app.conf': 'mode=test\n', level: 'debug' } },
    });
    await c.core.createNamespacedSecret({
      namespace: c.namespace,
      body: { metadata: { name: secret }, stringData: { token: 's3cr3t' } },
    });
    try {
      await createPod(c, pod, {
        restartPolicy: 'Never',
        volumes: [
          { name: 'conf', configMap: { name: cm, items: [{ key: 'app.conf', path: 'nested/app.conf' }] } },
          { name: 'creds', secret: { secretName: secret } },
        ],
        containers: [
          {
            name: 'main',
            image: 'busybox',
            env: [{ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: cm, key: 'level' } } }],
            envFrom: [{ secretRef: { name: secret }, prefix: 'S_' }],
            command: [
              'sh',
              '-c',
              'cat /tmp/kiln-node-agent-test/conf/nested/app.conf; cat /tmp/kiln-node-agent-test/creds/token; echo; echo "$LEVEL $S_token"',
            ],
            volumeMounts: [
              { name: 'conf', mountPath: '/tmp/kiln-node-agent-test/conf', readOnly: true },
              { name: 'creds', mountPath: '/tmp/kiln-node-agent-test/creds', readOnly: true },
            ],
          },
        ],
      });
      const done = await waitForPod(c, pod, isFinished);
      expect(done.status?.phase).toBe('Succeeded');
      expect(await c.core.readNamespacedPodLog({ namespace: c.namespace, name: pod, container: 'main' })).toBe(
        'mode=test\ns3cr3t\ndebug s3cr3t\n',
      );
    } finally {
      await c.core.deleteNamespacedConfigMap({ namespace: c.namespace, name: cm });
      await c.core.deleteNamespacedSecret({ namespace: c.namespace, name: secret });
    }
  }, 30_000);

  it('evicts a running pod through the Eviction API', async () => {
    const pod = name('evict');
    await createPod(c, pod, {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 5,
      containers: [{ name: 'main', image: 'busybox', command: ['sleep', '1000'] }],
    });
    const running = await waitForPod(c, pod, (p) => mainStatus(p)?.state?.running !== undefined);
    const pid = Number(mainStatus(running)?.containerID?.replace('kiln://', ''));
    await c.core.createNamespacedPodEviction({
      namespace: c.namespace,
      name: pod,
      body: { metadata: { name: pod, namespace: c.namespace } },
    });
    await waitForPodGone(c, pod);
    expect(await waitProcessGone(pid)).toBe(true);
  }, 30_000);
});
