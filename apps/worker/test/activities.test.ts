/**
 * Which steps a worker runs itself: a Kubernetes worker refuses `local` steps unless told
 * otherwise, because they would run inside its own container (with its ServiceAccount token
 * and the store credentials). No server is contacted: the refusal comes before any work.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { pino } from 'pino';
import { openStore } from '@kiln/artifacts';
import type { ImportArtifactRequest, StepRequest } from '@kiln/engine-contract';
import { createWorkerActivities } from '../src/activities';
import { loadWorkerConfig } from '../src/config/load';

const dir = mkdtempSync(join(tmpdir(), 'kiln-worker-activities-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(
  kubeconfig,
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]',
    'users: [{ name: u, user: { token: t } }]',
    'contexts: [{ name: x, context: { cluster: c, user: u } }]',
    'current-context: x',
  ].join('\n'),
);
const kubernetesWorker = {
  KILN_EXECUTOR: 'kubernetes',
  KILN_K8S_LAUNCHER_IMAGE: 'launcher:1',
  KILN_KUBECONFIG: kubeconfig,
  KILN_ARTIFACTS: `file://${dir}/store`,
};
const localStep = { executor: 'local', summary: 'train-model' } as StepRequest;

async function refusal(env: Record<string, string>): Promise<ApplicationFailure | undefined> {
  const config = loadWorkerConfig(env);
  const activities = await createWorkerActivities(config, openStore(config.store.url), pino({ level: 'silent' }));
  try {
    await activities.runStep(localStep);
  } catch (error) {
    if (error instanceof ApplicationFailure) return error;
  }
  return undefined;
}

test('a Kubernetes worker refuses a local step as a configuration error that says what to change', async () => {
  const failure = await refusal(kubernetesWorker);
  expect(failure?.nonRetryable).toBe(true);
  expect(failure?.type).toBe('KilnConfigurationError');
  expect(failure?.message).toMatch(
    /step train-model asks for the local executor, but this worker runs steps as Kubernetes pods/,
  );
  expect(failure?.message).toMatch(/KILN_LOCAL_STEPS=true/);
});

test('KILN_LOCAL_STEPS=true lets it run them (here the step then fails for its own reasons, not as refused)', async () => {
  const failure = await refusal({ ...kubernetesWorker, KILN_LOCAL_STEPS: 'true' });
  expect(failure?.message ?? '').not.toMatch(/asks for the local executor/);
});

test('a Kubernetes worker refuses to import a file from its own file system, but imports from its store', async () => {
  const config = loadWorkerConfig(kubernetesWorker);
  const store = openStore(config.store.url);
  const activities = await createWorkerActivities(config, store, pino({ level: 'silent' }));
  const token: ImportArtifactRequest = {
    runId: 'x',
    pipelineName: 'p',
    taskId: 'grab',
    iteration: [],
    artifactRoot: store.url,
    output: 'artifact',
    uri: 'file:///var/run/secrets/kubernetes.io/serviceaccount/token',
    artifactType: 'artifact',
    reimport: true,
    metadata: {},
  };
  const refused = await activities.importArtifact(token).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(ApplicationFailure);
  expect((refused as ApplicationFailure).nonRetryable).toBe(true);
  expect((refused as ApplicationFailure).message).toMatch(
    /importer grab asks for file:\/\/\/var\/run\/secrets.*KILN_LOCAL_STEPS=true/,
  );
  await store.put('datasets/iris.csv', 'a,b\n');
  const imported = await activities.importArtifact({
    ...token,
    uri: store.uriFor('datasets/iris.csv'),
    reimport: false,
  });
  expect(imported.digest).toMatch(/^sha256:/);
});
