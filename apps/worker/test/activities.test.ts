/**
 * Which steps a worker runs itself: a Kubernetes worker refuses `local` steps unless told
 * otherwise, because they would run inside its own container (with its ServiceAccount token
 * and the store credentials). No server is contacted: the refusal comes before any work.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
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

test('a local worker imports file: URIs only under KILN_IMPORT_ROOTS (none by default), and refuses a bad root', async () => {
  const localWorker = { KILN_EXECUTOR: 'local', KILN_ARTIFACTS: `file://${dir}/store` };
  const data = join(dir, 'project');
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, 'iris.csv'), 'a,b\n');
  const importOf = (uri: string): ImportArtifactRequest => ({
    runId: 'x',
    pipelineName: 'p',
    taskId: 'load',
    iteration: [],
    artifactRoot: `file://${dir}/store`,
    output: 'artifact',
    uri,
    artifactType: 'dataset',
    reimport: true,
    metadata: {},
  });
  const activitiesOf = async (env: Record<string, string>) => {
    const config = loadWorkerConfig(env);
    return createWorkerActivities(config, openStore(config.store.url), pino({ level: 'silent' }));
  };
  const strict = await activitiesOf(localWorker);
  await expect(strict.importArtifact(importOf('file:///etc/passwd'))).rejects.toThrow(
    /importer load asks for file:\/\/\/etc\/passwd.*this worker allows none \(set KILN_IMPORT_ROOTS/,
  );
  await expect(strict.importArtifact(importOf(`file://${data}/iris.csv`))).rejects.toThrow(/ImportRefused|allows none/);

  const allowed = await activitiesOf({ ...localWorker, KILN_IMPORT_ROOTS: `${data}:/nonexistent-root` });
  expect((await allowed.importArtifact(importOf(`file://${data}/iris.csv`))).digest).toMatch(/^sha256:/);
  await expect(allowed.importArtifact(importOf('file:///etc/passwd'))).rejects.toThrow(
    `this worker allows only ${data}, /nonexistent-root (KILN_IMPORT_ROOTS)`,
  );
  expect(() => loadWorkerConfig({ ...localWorker, KILN_IMPORT_ROOTS: 'relative/path' })).toThrow(
    /KILN_IMPORT_ROOTS: expected absolute folder paths/,
  );
});
