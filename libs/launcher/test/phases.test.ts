/**
 * The phases `runStep` is made of, run apart the way a pod runs them: the
 * command resolved without touching anything (the worker), the work folder
 * filled (the init container), the command run (the user's image), the outputs
 * published (the sidecar).
 */
import { createWriteStream } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { executorOutputKey, executorOutputSchema } from '@kiln/store-layout';
import {
  fetchInputs,
  inputPaths,
  publishOutputs,
  resolveStepCommand,
  runStepCommand,
  WorkLayout,
  writeExecutorOutput,
  writeStepFiles,
  type ExecutorOutput,
  type LaunchRequest,
} from '../src';
import { artifact, container, param, python, request, sandbox, type Sandbox } from './helpers';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

async function runApart(
  req: LaunchRequest,
  workDir: string,
  options: Parameters<typeof resolveStepCommand>[3],
): Promise<ExecutorOutput> {
  const layout = new WorkLayout(workDir);
  const planned = resolveStepCommand(req, layout, inputPaths(req, layout), options);
  const localInputs = await fetchInputs(req, box.store, layout);
  const command = resolveStepCommand(req, layout, localInputs, options);
  expect(command).toEqual(planned);
  await writeStepFiles(command);
  const log = createWriteStream(layout.logFile);
  try {
    await runStepCommand(command.argv, { cwd: layout.root, env: process.env, log });
  } finally {
    await new Promise((resolve) => log.end(resolve));
  }
  const published = await publishOutputs(req, box.store, layout);
  const now = new Date().toISOString();
  return writeExecutorOutput(box.store, {
    executionKey: req.executionKey,
    exitCode: 0,
    startedAt: now,
    finishedAt: now,
    logUri: box.store.uriFor('log'),
    ...published,
  });
}

describe('the phases run apart', () => {
  test('a container step: the command resolved before the inputs exist names the paths the fetch fills', async () => {
    await box.store.put('in/data.csv', 'a,b\n1,2\n');
    const component = container(
      [
        'sh',
        '-c',
        'wc -l < "$0" > "$1"',
        { kind: 'inputPath', input: 'data' },
        { kind: 'outputPath', output: 'lines' },
      ],
      {
        inputs: { data: artifact('dataset') },
        outputs: { lines: param('int') },
      },
    );
    const req = request(component, {
      inputs: {
        params: {},
        artifacts: { data: { uri: box.store.uriFor('in/data.csv'), type: 'dataset', metadata: {} } },
      },
      outputs: { params: { lines: 'int' }, artifacts: {} },
    });
    const record = await runApart(req, box.workDir(), {});
    expect(record.outputs.params).toEqual({ lines: 2 });
    expect(await box.store.readJson(executorOutputKey(req.executionKey), executorOutputSchema)).toEqual(record);
  });

  test('a python step set up in the work folder: the shim is copied there and installs packages into a virtualenv there that reuses the base interpreter', async () => {
    const source =
      'import sys, six\n\ndef main(n: int, metrics) -> dict:\n    metrics.log_metric("n", n)\n    return {"prefix": sys.prefix, "six": six.__file__}\n';
    const component = python(source, {
      packages: ['six'],
      inputs: { n: param('int') },
      outputs: { prefix: param('string'), six: param('string'), metrics: artifact('metrics') },
    });
    const req = request(component, {
      inputs: { params: { n: 3 }, artifacts: {} },
      outputs: {
        params: { prefix: 'string', six: 'string' },
        artifacts: { metrics: { uri: box.store.uriFor('out/metrics.json'), type: 'metrics' } },
      },
    });
    const workDir = box.workDir();
    const layout = new WorkLayout(workDir);
    const record = await runApart(req, workDir, { python: 'python3', pythonSetup: 'work-dir' });

    expect(resolveStepCommand(req, layout, {}, { python: 'python3', pythonSetup: 'work-dir' }).argv).toEqual([
      'python3',
      '-u',
      layout.shimCopyFile,
      layout.shimSpecFile,
    ]);
    await access(layout.shimCopyFile);
    expect(record.outputs.params['prefix']).toBe(layout.pythonEnvDir);
    // six was already in the base interpreter: reused from there, not installed again.
    expect(record.outputs.params['six']).not.toContain(layout.pythonEnvDir);
    expect(await readFile(layout.logFile, 'utf8')).toMatch(/Requirement already satisfied: six/);
    expect(record.metrics).toEqual({ metrics: { n: 3 } });
  }, 120_000);

  test('a python step set up on the host runs the shim in place with the given interpreter and installs nothing', () => {
    const component = python('def main():\n    pass\n', { packages: ['six'] });
    const layout = new WorkLayout('/w');
    const command = resolveStepCommand(request(component), layout, {}, { python: '/venvs/py-1/bin/python' });
    expect(command.argv[0]).toBe('/venvs/py-1/bin/python');
    expect(command.argv[2]).toMatch(/libs\/launcher\/python\/kiln_shim\.py$/);
    expect(command.files.map((f) => f.path)).toEqual([layout.componentSourceFile, layout.shimSpecFile]);
    const spec = command.files.find((f) => f.path === layout.shimSpecFile);
    expect(spec && 'content' in spec ? JSON.parse(spec.content) : undefined).not.toHaveProperty('install');
  });
});
