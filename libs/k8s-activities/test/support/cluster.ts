/**
 * The test cluster (tools/testenv: a real kube-apiserver and Kiln's node agent,
 * which runs pod containers as local processes) and what the tests share: a
 * file:// store that pod processes and the test both see, the in-pod launcher
 * started from its bundle, as the launcher image starts it (the agent ignores
 * image names), and helpers to run
 * `runStep` in an activity context and to clean up pods.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import { ApplicationFailure } from '@temporalio/common';
import type { StepFailureDetails, StepRequest, StepResult } from '@kiln/engine-contract';
import type { Arg, Component, IoSpec, TaskSettings } from '@kiln/ir';
import { getTestEnvironment } from '@kiln/testenv';
import { labelKeys } from '@kiln/kube';
import {
  createK8sActivities,
  podLauncherBundleCommand,
  staticLauncherHostCommand,
  type K8sActivitiesDeps,
} from '../../src';

export function workspaceRoot(): string {
  let dir = __dirname;
  while (!require('node:fs').existsSync(join(dir, 'nx.json'))) dir = join(dir, '..');
  return dir;
}

export interface Cluster {
  kc: KubeConfig;
  core: CoreV1Api;
  namespace: string;
  kubeconfig: string;
  store: ArtifactStore;
  storeDir: string;
  /** Activity deps for this cluster; override anything. */
  deps(overrides?: Partial<K8sActivitiesDeps>): K8sActivitiesDeps;
  cleanup(): Promise<void>;
}

/** The launcher command as pods run it here: node + this checkout's in-pod launcher, bundled (once) into the cache. */
export function launcherCommand(): string[] {
  return podLauncherBundleCommand();
}

export const quietLog = { info: () => undefined, warn: () => undefined, debug: () => undefined };

export function cluster(): Cluster {
  const env = getTestEnvironment(['kubernetes']);
  const kc = new KubeConfig();
  kc.loadFromFile(env.kubernetes.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const storeDir = mkdtempSync('/tmp/kiln-k8s-test-');
  const store = openStore(pathToFileURL(storeDir).href);
  const namespace = env.kubernetes.namespace;
  return {
    kc,
    core,
    namespace,
    kubeconfig: env.kubernetes.kubeconfig,
    store,
    storeDir,
    deps: (overrides = {}) => ({
      kube: kc,
      namespace,
      store,
      launcherImage: 'ghcr.io/kiln/launcher:test',
      pod: {
        launcherCommand: launcherCommand(),
        // As the launcher image's defaults: steps without artifacts run the static launcher.
        staticLauncherCommand: staticLauncherHostCommand(),
        terminationGracePeriodSeconds: 5,
      },
      heartbeatMs: 1_000,
      cancelGracePeriodSeconds: 2,
      collectEveryMs: 0,
      watch: { timeoutSeconds: 20, inactivityMs: 30_000, pollMs: 3_000 },
      log: quietLog,
      ...overrides,
    }),
    cleanup: async () => {
      if (!process.env['KILN_KEEP_TEST_STORE']) rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A container component running `command` (image `alpine:3`, which the node agent ignores). */
export function component(
  command: Arg[],
  io: { inputs?: Record<string, IoSpec>; outputs?: Record<string, IoSpec>; image?: string } = {},
): Component {
  return {
    name: 'test-step',
    inputs: io.inputs ?? {},
    outputs: io.outputs ?? {},
    implementation: { type: 'container', image: io.image ?? 'alpine:3', command },
  };
}

/**
 * A StepRequest with a fresh run id, so every test gets its own pod names. A
 * step with output artifacts passes the `artifactRoot` of the store it writes to.
 */
export function stepRequest(
  c: Component,
  more: Partial<Omit<StepRequest, 'component'>> & { settings?: TaskSettings } = {},
): StepRequest {
  const runId = `run-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  const taskId = more.taskId ?? 'step';
  return {
    runId,
    workflowId: `wf-${runId}`,
    pipelineName: 'k8s-test',
    taskId,
    iteration: [],
    attempt: 1,
    artifactRoot: 'file:///kiln-k8s-test/no-outputs-expected',
    summary: taskId,
    componentId: 'test-step',
    component: c,
    inputs: { params: {}, artifacts: {} },
    outputs: { params: {}, artifacts: {} },
    settings: {},
    executor: 'kubernetes',
    ...more,
  };
}

/** Runs `runStep` inside a mock activity context (the activity API only; every server it talks to is real). */
export function runInActivity(
  deps: K8sActivitiesDeps,
  req: StepRequest,
  info: { heartbeatDetails?: unknown } = {},
): { env: MockActivityEnvironment; result: Promise<StepResult>; heartbeats: unknown[] } {
  // Failed steps are expected in these tests; the SDK's WARN line per failure is noise.
  const env = new MockActivityEnvironment(
    { heartbeatDetails: info.heartbeatDetails, heartbeatTimeoutMs: 30_000 },
    { logger: new DefaultLogger('ERROR') },
  );
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => heartbeats.push(d));
  const { runStep } = createK8sActivities(deps);
  return { env, result: env.run(runStep, req), heartbeats };
}

/** Pods of a run, found by label. */
export async function podsOfRun(c: Cluster, runId: string): Promise<V1Pod[]> {
  const list = await c.core.listNamespacedPod({ namespace: c.namespace, labelSelector: `${labelKeys.run}=${runId}` });
  return list.items;
}

/** Deletes every pod of the given runs at once (grace 0), ignoring ones already gone. */
export async function deleteRunPods(c: Cluster, runIds: string[]): Promise<void> {
  for (const runId of runIds) {
    for (const pod of await podsOfRun(c, runId)) {
      await c.core
        .deleteNamespacedPod({ namespace: c.namespace, name: pod.metadata?.name ?? '', gracePeriodSeconds: 0 })
        .catch(() => undefined);
    }
  }
}

/** The ApplicationFailure a failed runStep throws, with its StepFailureDetails. */
export async function failureOf(
  result: Promise<unknown>,
): Promise<{ failure: ApplicationFailure; details: StepFailureDetails }> {
  const error = await result.then(
    () => {
      throw new Error('the step succeeded but was expected to fail');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ApplicationFailure)) throw error;
  return { failure: error, details: error.details?.[0] as StepFailureDetails };
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A MinIO-backed store under a fresh prefix, and a Secret with its credentials for the launcher containers. */
export interface MinioStore {
  store: ArtifactStore;
  secretName: string;
  /** Deletes the Secret (the objects stay under their unique prefix). */
  remove(): Promise<void>;
}

/**
 * @example
 * ```ts
 * const minio = await minioStore(c, 'k8s-python');
 * const deps = c.deps({ store: minio.store, pod: { ...c.deps().pod, storeSecret: minio.secretName } });
 * ```
 */
export async function minioStore(c: Cluster, name: string): Promise<MinioStore> {
  const minio = getTestEnvironment(['minio']).minio;
  const unique = `${process.pid}-${Date.now().toString(36)}`;
  const secretName = `kiln-store-${name}-${unique}`;
  const store = openStore(`s3://${minio.bucket}/${name}-${unique}`, {
    s3: { endpoint: minio.endpoint, accessKey: minio.accessKey, secretKey: minio.secretKey },
  });
  await c.core.createNamespacedSecret({
    namespace: c.namespace,
    body: {
      metadata: { name: secretName },
      stringData: {
        KILN_S3_ENDPOINT: minio.endpoint,
        KILN_S3_ACCESS_KEY: minio.accessKey,
        KILN_S3_SECRET_KEY: minio.secretKey,
      },
    },
  });
  return {
    store,
    secretName,
    remove: () =>
      c.core.deleteNamespacedSecret({ namespace: c.namespace, name: secretName }).then(
        () => undefined,
        () => undefined,
      ),
  };
}
