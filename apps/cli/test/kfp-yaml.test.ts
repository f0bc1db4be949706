/**
 * KFP YAML through the CLI, as a KFP author uses it: pipelines written with
 * the KFP SDK (examples/kfp-yaml/pipelines), compiled with the pinned SDK
 * (tools/bench/kfp/setup.sh) and given to bin/kiln unchanged. The seed
 * tutorial's training pipeline deploys only when it is accurate enough.
 */
import { getTestEnvironment } from '@kiln/testenv';
import { openStore } from '@kiln/artifacts';
import type { RunStatusDocument } from '@kiln/engine-contract';
import { startTestWorker, type TestWorker } from '@kiln/testing';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const kiln = join(root, 'bin/kiln');
const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-kfp-'));
const store = `file://${join(dir, 'store')}`;
const taskQueue = `kiln-cli-kfp-${randomUUID()}`;
let worker: TestWorker | undefined;

function kilnCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const temporal = getTestEnvironment(['temporal']).temporal;
  return new Promise((done) => {
    const child = spawn(kiln, args, {
      cwd: dir,
      env: {
        ...process.env,
        KILN_ARTIFACTS: store,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        KILN_TASK_QUEUE: taskQueue,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => done({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  const python = execFileSync('bash', [join(root, 'tools/bench/kfp/setup.sh')], { encoding: 'utf8' }).trim();
  execFileSync(
    python,
    [join(root, 'examples/kfp-yaml/compile.py'), dir, 'training_pipeline', 'k8s_field_path_env', 'component_python'],
    { encoding: 'utf8' },
  );
  worker = await startTestWorker({ taskQueue, store: openStore(store), workRoot: join(dir, 'work') });
}, 600_000);

afterAll(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('kiln run pipeline.yaml --param min_accuracy=…: the KFP-compiled training pipeline deploys only when accurate enough', async () => {
  const endpoint = (name: string) => join(dir, 'deployed', name);
  // A random forest scores about 0.96 on scikit-learn's breast cancer data: above 0.9, below 0.99.
  const [accurate, demanding] = await Promise.all([
    kilnCli([
      'run',
      join(dir, 'training_pipeline.yaml'),
      '--param',
      'min_accuracy=0.9',
      '--param',
      `deploy_endpoint=${endpoint('a')}`,
      '--json',
    ]),
    kilnCli([
      'run',
      join(dir, 'training_pipeline.yaml'),
      '--param',
      'min_accuracy=0.99',
      '--param',
      `deploy_endpoint=${endpoint('b')}`,
      '--json',
    ]),
  ]);
  expect([accurate.status, accurate.stderr.slice(-2000)]).toEqual([0, expect.any(String)]);
  const deployed = JSON.parse(accurate.stdout) as RunStatusDocument;
  expect(deployed.tasks.map((t) => [t.id, t.state])).toEqual(
    expect.arrayContaining([
      ['evaluate-model', 'succeeded'],
      ['deploy-model', 'succeeded'],
    ]),
  );
  expect(deployed.tasks.find((t) => t.id === 'evaluate-model')?.outputs.params['Output']).toBe('yes');
  expect(existsSync(join(endpoint('a'), 'model.pkl'))).toBe(true);

  expect(demanding.status).toBe(0);
  const kept = JSON.parse(demanding.stdout) as RunStatusDocument;
  expect(kept.tasks.find((t) => t.id === 'evaluate-model')?.outputs.params['Output']).toBe('no');
  expect(kept.tasks.find((t) => t.id === 'deploy-model')?.state).toBe('skipped');
  expect(existsSync(endpoint('b'))).toBe(false);
}, 900_000);

test('kiln validate and kiln compile print the translated IR of KFP YAML', async () => {
  const validated = await kilnCli(['validate', join(dir, 'training_pipeline.yaml')]);
  expect(validated.status).toBe(0);
  expect(validated.stdout).toMatch(/^ok training-pipeline sha256:[0-9a-f]{64}\n\{\n {2}"schemaVersion": "1.1"/);
  const compiled = await kilnCli(['compile', join(dir, 'training_pipeline.yaml')]);
  expect(compiled.status).toBe(0);
  expect(JSON.parse(compiled.stdout)).toMatchObject({ pipeline: { name: 'training-pipeline' } });
}, 120_000);

test('KFP YAML Kiln cannot run is refused naming the YAML path and the KFP feature; a component file is not a pipeline', async () => {
  const refused = await kilnCli(['run', join(dir, 'k8s_field_path_env.yaml')]);
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('is KFP pipeline YAML, but cannot translate this KFP YAML to Kiln IR (1 problem)');
  expect(refused.stderr).toMatch(
    /k8s_field_path_env\.yaml:\d+:\d+ \(document 2\): platforms\.kubernetes\.deploymentSpec\.executors\.exec-whereami\.fieldPathAsEnv: .*\[kubernetes\.use_field_path_as_env\]/,
  );
  const component = await kilnCli(['validate', join(dir, 'component_python.yaml')]);
  expect(component.status).toBe(1);
  expect(component.stderr).toContain('is a KFP component (compiled component YAML), not a pipeline');
}, 120_000);
