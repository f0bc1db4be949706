/**
 * KFP's executor protocol on the launcher (docs/ir.md, "KFP's executor
 * protocol"): the `executor_input` a program gets, what it hands back through
 * `executor_output.json` and its output files, and the pip-install bootstrap
 * replaced by a cached virtualenv. The programs here are small Python scripts
 * that speak the protocol as KFP's runtime does; examples/kfp-yaml runs the
 * real KFP runtime.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Component, FinalStatusValue, IoSpec, KfpExecutor } from '@kiln/ir';
import { KfpMountLayout, kfpMountPath, kfpRuntimeUri, LaunchError, runStep } from '../src';
import { artifact, param, request, sandbox, type Sandbox } from './helpers';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

/** A container component speaking KFP's protocol: `python3 -c <script> <executor_input>`. */
function kfpComponent(
  script: string,
  io: { inputs?: Record<string, IoSpec>; outputs?: Record<string, IoSpec> },
  kfp: KfpExecutor,
): Component {
  return {
    name: 'kfp-step',
    inputs: io.inputs ?? {},
    outputs: io.outputs ?? {},
    implementation: {
      type: 'container',
      image: 'python:3.11',
      command: ['python3', '-c', script],
      args: [{ kind: 'executorInput' }],
      kfp,
    },
  };
}

// Writes the executor input it got into the output parameter `seen` via executor_output.json.
const ECHO_INPUT = `
import json, sys
ei = json.loads(sys.argv[1])
out = {"parameterValues": {"seen": ei}}
open(ei["outputs"]["outputFile"], "w").write(json.dumps(out))
`;

test('executor_input carries parameter values (defaults filled), input artifacts with type, uri and metadata, output files and URIs', async () => {
  const upstream = box.store.uriFor('runs/r1/producer/data');
  await box.store.put('runs/r1/producer/data', Buffer.from('a,b\n'), { metadata: { rows: 1 } });
  const component = kfpComponent(
    ECHO_INPUT,
    {
      inputs: {
        n: param('int'),
        label: param('string', { default: 'x' }),
        opt: param('string', { optional: true }),
        data: artifact('dataset'),
      },
      outputs: { seen: param('object'), model: artifact('model'), score: param('float') },
    },
    {
      inputs: {
        n: { parameterType: 'NUMBER_INTEGER' },
        label: { parameterType: 'STRING' },
        opt: { parameterType: 'STRING' },
        data: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
      },
      outputs: {
        seen: { parameterType: 'STRUCT' },
        model: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' },
        score: { parameterType: 'NUMBER_DOUBLE' },
      },
    },
  );
  const script = `${ECHO_INPUT}
open(ei["outputs"]["artifacts"]["model"]["artifacts"][0]["uri"], "w").write("m")
open(ei["outputs"]["parameters"]["score"]["outputFile"], "w").write("0.5")
`;
  const impl = component.implementation;
  if (impl.type !== 'container') throw new Error('container expected');
  impl.command = ['python3', '-c', script];
  const workDir = box.workDir();
  const out = await runStep(
    request(component, {
      inputs: { params: { n: 3 }, artifacts: { data: { uri: upstream, type: 'dataset', metadata: { rows: 1 } } } },
      outputs: {
        params: { seen: 'object', score: 'float' },
        artifacts: { model: { uri: box.store.uriFor('runs/r1/me/model'), type: 'model' } },
      },
    }),
    { store: box.store, workDir },
  );
  const seen = out.outputs.params['seen'] as Record<string, Record<string, unknown>>;
  expect(seen['inputs']).toEqual({
    parameterValues: { n: 3, label: 'x' },
    artifacts: {
      data: {
        artifacts: [
          {
            name: 'data',
            type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
            // On the host, KFP's runtime gets the staged local path as the URI (as kfp.local does).
            uri: join(workDir, 'inputs', 'data', 'data'),
            metadata: { rows: 1 },
          },
        ],
      },
    },
  });
  expect(seen['outputs']).toEqual({
    parameters: {
      seen: { outputFile: join(workDir, 'outputs', '_params', 'seen') },
      score: { outputFile: join(workDir, 'outputs', '_params', 'score') },
    },
    artifacts: {
      model: {
        artifacts: [
          {
            name: 'model',
            type: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' },
            uri: join(workDir, 'outputs', 'model', 'model'),
            metadata: {},
          },
        ],
      },
    },
    outputFile: join(workDir, 'kfp', 'executor_output.json'),
  });
  // The output file is read when executor_output.json does not name the parameter.
  expect(out.outputs.params['score']).toBe(0.5);
  expect(out.outputs.artifacts['model']?.digest).toMatch(/^sha256:/);
  expect(await box.store.readText('runs/r1/me/model')).toBe('m');
});

test("executor_output.json's artifact metadata becomes the output's metadata; a metrics artifact without a file gets its metadata as content", async () => {
  const script = `
import json, sys
ei = json.loads(sys.argv[1])
out = {"artifacts": {"metrics": {"artifacts": [{"name": "metrics", "uri": "x", "metadata": {"accuracy": 0.9}}]}}}
open(ei["outputs"]["outputFile"], "w").write(json.dumps(out))
`;
  const component = kfpComponent(
    script,
    { outputs: { metrics: artifact('metrics') } },
    { inputs: {}, outputs: { metrics: { schemaTitle: 'system.Metrics', schemaVersion: '0.0.1' } } },
  );
  const out = await runStep(
    request(component, {
      outputs: { params: {}, artifacts: { metrics: { uri: box.store.uriFor('runs/r2/m/metrics'), type: 'metrics' } } },
    }),
    { store: box.store, workDir: box.workDir() },
  );
  expect(out.outputs.artifacts['metrics']?.metadata).toEqual({ accuracy: 0.9 });
  expect(out.metrics['metrics']).toEqual({ accuracy: 0.9 });
  expect(JSON.parse(await box.store.readText('runs/r2/m/metrics'))).toEqual({ accuracy: 0.9 });
});

test('a missing output parameter is a user failure naming it', async () => {
  const component = kfpComponent(
    'import sys',
    { outputs: { n: param('int') } },
    { inputs: {}, outputs: { n: { parameterType: 'NUMBER_INTEGER' } } },
  );
  const failure = await runStep(request(component, { outputs: { params: { n: 'int' }, artifacts: {} } }), {
    store: box.store,
    workDir: box.workDir(),
  }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(LaunchError);
  expect(failure).toMatchObject({ failureType: 'user', reason: 'MissingOutputParam' });
  expect((failure as Error).message).toContain('"n"');
});

test("a TASK_FINAL_STATUS input gets KFP's PipelineTaskFinalStatus shape", async () => {
  const status: FinalStatusValue = {
    state: 'FAILED',
    runId: 'run-1',
    pipelineName: 'p',
    failedTasks: ['fail-op'],
    error: 'failed tasks: fail-op',
    group: 'exit-handler-1',
  };
  const component = kfpComponent(
    ECHO_INPUT,
    { inputs: { status: param('object') }, outputs: { seen: param('object') } },
    { inputs: { status: { parameterType: 'TASK_FINAL_STATUS' } }, outputs: { seen: { parameterType: 'STRUCT' } } },
  );
  const out = await runStep(
    request(component, {
      inputs: { params: { status }, artifacts: {} },
      outputs: { params: { seen: 'object' }, artifacts: {} },
    }),
    { store: box.store, workDir: box.workDir() },
  );
  const seen = out.outputs.params['seen'] as { inputs: { parameterValues: Record<string, unknown> } };
  expect(seen.inputs.parameterValues['status']).toEqual({
    state: 'FAILED',
    pipelineJobResourceName: 'run-1',
    pipelineTaskName: 'exit-handler-1',
    error: { code: 9, message: 'failed tasks: fail-op' },
  });
});

test("KFP's local-path convention: remote URIs map to /gcs, /s3, /minio; a pod layout stages there, other URIs stay in the work folder", () => {
  expect(kfpMountPath('gs://b/k')).toBe('/gcs/b/k');
  expect(kfpMountPath('s3://b/k/x')).toBe('/s3/b/k/x');
  expect(kfpMountPath('minio://b/k')).toBe('/minio/b/k');
  expect(kfpMountPath('file:///tmp/k')).toBeUndefined();
  expect(kfpRuntimeUri('s3://b/k', '/s3/b/k')).toBe('s3://b/k');
  expect(kfpRuntimeUri('file:///tmp/k', '/w/inputs/x/k')).toBe('/w/inputs/x/k');
  const layout = new KfpMountLayout('/kiln/work');
  expect(layout.inputArtifact('data', 's3://kiln/runs/1/a/data')).toBe('/s3/kiln/runs/1/a/data');
  expect(layout.outputArtifact('model', 's3://kiln/runs/1/b/model')).toBe('/s3/kiln/runs/1/b/model');
  expect(layout.outputArtifact('model', 'file:///store/runs/1/b/model')).toBe('/kiln/work/outputs/model/model');
});

describe('the pip-install bootstrap on the local executor', () => {
  let cacheDir: string;
  const savedCache = process.env['KILN_CACHE_DIR'];
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'kiln-cache-'));
    process.env['KILN_CACHE_DIR'] = cacheDir;
  });
  afterAll(async () => {
    if (savedCache === undefined) delete process.env['KILN_CACHE_DIR'];
    else process.env['KILN_CACHE_DIR'] = savedCache;
    await rm(cacheDir, { recursive: true, force: true });
  });

  test('runs the pip installs into a cached virtualenv, cuts the script off and runs the rest with that python3 first on PATH', async () => {
    // The script would fail if it ran: the launcher must cut it off and install the packages itself.
    const component: Component = {
      name: 'boot',
      inputs: {},
      outputs: { where: param('string') },
      implementation: {
        type: 'container',
        image: 'python:3.11',
        command: [
          'sh',
          '-c',
          'exit 97 && "$0" "$@"',
          'sh',
          '-ec',
          'python3 -c "import six, sys; open(sys.argv[1], \'w\').write(sys.prefix)" "$0"',
        ],
        args: [{ kind: 'outputPath', output: 'where' }],
        kfp: {
          inputs: {},
          outputs: { where: { parameterType: 'STRING' } },
          pythonBootstrap: { commandPrefix: 3, pipInstalls: [['--quiet', 'six==1.16.0']], venv: false },
        },
      },
    };
    const first = await runStep(request(component, { outputs: { params: { where: 'string' }, artifacts: {} } }), {
      store: box.store,
      workDir: box.workDir(),
    });
    const venv = first.outputs.params['where'] as string;
    expect(venv.startsWith(join(cacheDir, 'venvs', 'py-'))).toBe(true);
    const second = await runStep(request(component, { outputs: { params: { where: 'string' }, artifacts: {} } }), {
      store: box.store,
      workDir: box.workDir(),
    });
    expect(second.outputs.params['where']).toBe(venv);
    const log = await readFile(join(box.dir, 'work', 'step-2', 'step.log'), 'utf8');
    expect(log).not.toContain('creating virtualenv');
  }, 120_000);
});
