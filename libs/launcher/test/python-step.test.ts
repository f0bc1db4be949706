import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LaunchError, runStep } from '../src';
import { artifact, param, python, request, sandbox, type Sandbox } from './helpers';

let box: Sandbox;
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
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

describe('python components', () => {
  test('calls the function with typed params (camelCase → snake_case), artifacts with .path/.uri/.metadata, and returns params', async () => {
    await writeFile(join(box.dir, 'data.csv'), 'a\n1\n2\n3\n');
    const component = python(
      `
from kiln.dsl import Input, Output, Dataset, Model, Metrics

def main(dataset: Input[Dataset], n_estimators: int, learning_rate: float, label: str, model: Output[Model], metrics: Output[Metrics]):
    rows = open(dataset.path).read().splitlines()[1:]
    assert isinstance(learning_rate, float), type(learning_rate)
    with open(model.path, "w") as f:
        f.write("trees=%d" % n_estimators)
    model.metadata["framework"] = "toy"
    metrics.log_metric("rows", len(rows))
    metrics.log_metric("accuracy", 0.75)
    print("source uri", dataset.uri, "rows meta", dataset.metadata["rows"])
    return {"accuracy": 0.75, "nRows": len(rows), "label": label.upper()}
`,
      {
        inputs: {
          dataset: artifact('dataset'),
          nEstimators: param('int'),
          learningRate: param('float'),
          label: param('string'),
        },
        outputs: {
          model: artifact('model'),
          metrics: artifact('metrics'),
          accuracy: param('float'),
          nRows: param('int'),
          label: param('string'),
        },
      },
    );
    const out = await runStep(
      request(component, {
        inputs: {
          params: { nEstimators: 10, learningRate: 1, label: 'ok' },
          artifacts: { dataset: { uri: `file://${box.dir}/data.csv`, type: 'dataset', metadata: { rows: 3 } } },
        },
        outputs: {
          params: { accuracy: 'float', nRows: 'int', label: 'string' },
          artifacts: {
            model: { uri: box.store.uriFor('r/model.txt'), type: 'model' },
            metrics: { uri: box.store.uriFor('r/metrics.json'), type: 'metrics' },
          },
        },
      }),
      { store: box.store, workDir: box.workDir() },
    );
    expect(out.outputs.params).toEqual({ accuracy: 0.75, nRows: 3, label: 'OK' });
    expect(await box.store.readText('r/model.txt')).toBe('trees=10');
    expect(out.outputs.artifacts['model']?.metadata).toEqual({ framework: 'toy' });
    expect(out.metrics).toEqual({ metrics: { rows: 3, accuracy: 0.75 } });
    // Metrics live in metadata; the artifact's file holds them too.
    expect(JSON.parse(await box.store.readText('r/metrics.json'))).toEqual({ rows: 3, accuracy: 0.75 });
    expect(await box.store.readText(box.store.keyOf(out.logUri))).toContain(
      `source uri file://${box.dir}/data.csv rows meta 3`,
    );
  });

  test("KFP authors' source runs as written: @dsl.component kept, InputPath/OutputPath, identity placeholders and kiln.dsl.context()", async () => {
    await writeFile(join(box.dir, 'numbers.txt'), '1\n2\n3\n');
    const component = python(
      `
from kfp import dsl
from kfp.dsl import InputPath, OutputPath

@dsl.component(base_image="python:3.11-slim", packages_to_install=["six"])
def main(numbers: InputPath("Dataset"), scale: InputPath(int), total: OutputPath(int), report: OutputPath("Artifact"),
         job: str = dsl.PIPELINE_JOB_NAME_PLACEHOLDER, task: str = dsl.PIPELINE_TASK_NAME_PLACEHOLDER):
    value = sum(int(line) for line in open(numbers) if line.strip()) * int(open(scale).read())
    with open(total, "w") as f:
        f.write(str(value))
    with open(report, "w") as f:
        f.write("%s/%s attempt %d" % (job, task, dsl.context().attempt))
    return {"who": dsl.context().run_id}
`,
      {
        inputs: { numbers: artifact('dataset'), scale: param('int') },
        outputs: { total: param('int'), report: artifact(), who: param('string') },
      },
    );
    const out = await runStep(
      request(component, {
        inputs: {
          params: { scale: 2 },
          artifacts: { numbers: { uri: `file://${box.dir}/numbers.txt`, type: 'dataset', metadata: {} } },
        },
        outputs: {
          params: { total: 'int', who: 'string' },
          artifacts: { report: { uri: box.store.uriFor('r/report'), type: 'artifact' } },
        },
        identity: { runId: 'run-7', pipelineName: 'sums', taskId: 'add', iteration: [], attempt: 2 },
      }),
      { store: box.store, workDir: box.workDir() },
    );
    expect(out.outputs.params).toEqual({ total: 12, who: 'run-7' });
    expect(await box.store.readText('r/report')).toBe('sums/add attempt 2');
  });

  test('classification metrics: confusion matrix and ROC curve land in metadata', async () => {
    const component = python(
      `
def main(cm):
    cm.log_confusion_matrix(["a", "b"], [[5, 1], [2, 7]])
    cm.log_roc_curve([0.0, 0.5, 1.0], [0.0, 0.8, 1.0], [1.0, 0.5, 0.0])
`,
      { outputs: { cm: artifact('classificationMetrics') } },
    );
    const out = await runStep(
      request(component, {
        outputs: {
          params: {},
          artifacts: { cm: { uri: box.store.uriFor('r/cm.json'), type: 'classificationMetrics' } },
        },
      }),
      { store: box.store, workDir: box.workDir() },
    );
    expect(out.metrics['cm']).toEqual({
      confusionMatrix: {
        categories: ['a', 'b'],
        matrix: [
          [5, 1],
          [2, 7],
        ],
      },
      roc: { fpr: [0, 0.5, 1], tpr: [0, 0.8, 1], threshold: [1, 0.5, 0] },
    });
  });

  test('an exception in the function is a user failure with the traceback in the log tail', async () => {
    const component = python('def main():\n    raise ValueError("bad data in row 7")\n');
    const error = (await runStep(request(component), { store: box.store, workDir: box.workDir() }).catch(
      (e: unknown) => e,
    )) as LaunchError;
    expect(error).toBeInstanceOf(LaunchError);
    expect(error).toMatchObject({ failureType: 'user', reason: 'NonZeroExit', exitCode: 1 });
    expect(error.logTail).toContain('ValueError: bad data in row 7');
    expect(error.logTail).toContain('component.py');
  });

  test('a declared output the function does not return is a user failure', async () => {
    const component = python('def main():\n    return {}\n', { outputs: { accuracy: param('float') } });
    const error = await runStep(request(component, { outputs: { params: { accuracy: 'float' }, artifacts: {} } }), {
      store: box.store,
      workDir: box.workDir(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ failureType: 'user', reason: 'MissingOutputParam' });
  });

  test('packages install into a virtualenv that is cached for the next step with the same packages', async () => {
    const component = python('import six\n\ndef main():\n    return {"version": six.__version__}\n', {
      packages: ['six'],
      outputs: { version: param('string') },
    });
    const req = () => request(component, { outputs: { params: { version: 'string' }, artifacts: {} } });
    const firstLog: string[] = [];
    const first = await runStep(req(), { store: box.store, workDir: box.workDir(), onLog: (l) => firstLog.push(l) });
    expect(first.outputs.params['version']).toMatch(/^\d+\.\d+/);
    expect(firstLog.some((l) => l.includes('creating virtualenv'))).toBe(true);

    const secondLog: string[] = [];
    const started = Date.now();
    const second = await runStep(req(), { store: box.store, workDir: box.workDir(), onLog: (l) => secondLog.push(l) });
    expect(second.outputs.params).toEqual(first.outputs.params);
    expect(secondLog.some((l) => l.includes('creating virtualenv'))).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
    const venvs = (await readdir(join(cacheDir, 'venvs'))).filter((n) => n.startsWith('py-') && !n.endsWith('.lock'));
    expect(venvs).toHaveLength(1);
  }, 180_000);

  test('concurrent steps with the same new package set build the virtualenv once', async () => {
    const component = python('import six\n\ndef main():\n    return {"ok": True}\n', {
      packages: ['six', 'wheel'],
      outputs: { ok: param('bool') },
    });
    const logs: string[][] = [[], [], []];
    const results = await Promise.all(
      logs.map((log) =>
        runStep(request(component, { outputs: { params: { ok: 'bool' }, artifacts: {} } }), {
          store: box.store,
          workDir: box.workDir(),
          onLog: (l) => log.push(l),
        }),
      ),
    );
    expect(results.map((r) => r.outputs.params['ok'])).toEqual([true, true, true]);
    expect(logs.filter((log) => log.some((l) => l.includes('creating virtualenv')))).toHaveLength(1);
  }, 180_000);

  test('a package that cannot be installed is a retryable infrastructure failure', async () => {
    const component = python('def main():\n    pass\n', { packages: ['kiln-no-such-package-zzz==0.0.0'] });
    const error = await runStep(request(component), { store: box.store, workDir: box.workDir() }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ failureType: 'infrastructure', reason: 'PipInstallFailed', retryable: true });
  }, 180_000);
});
