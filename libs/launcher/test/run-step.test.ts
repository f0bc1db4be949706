import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestBytes, digestDirectory } from '@kiln/artifacts';
import { executorOutputKey, executorOutputSchema } from '@kiln/store-layout';
import { LaunchError, WorkLayout, runStep, type LaunchArtifact } from '../src';
import { ARGV_TO_FILE, artifact, container, param, request, sandbox, type Sandbox } from './helpers';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

async function failure(promise: Promise<unknown>): Promise<LaunchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LaunchError);
  return error as LaunchError;
}

describe('running a container step', () => {
  test('argv is never shell-interpreted: hostile values arrive literally', async () => {
    const hostile = [
      '$(touch pwned)',
      '; echo pwned > pwned2',
      '`touch pwned3`',
      '*',
      'a b',
      `'"\\`,
      'line1\nline2',
      '&& exit 7',
      '$HOME',
    ];
    const component = container(
      [...ARGV_TO_FILE, { kind: 'outputPath', output: 'argv' }, { kind: 'inputValue', input: 'v' }, ...hostile],
      {
        inputs: { v: param('string') },
        outputs: { argv: param('list') },
      },
    );
    const workDir = box.workDir();
    const out = await runStep(
      request(component, {
        inputs: { params: { v: '$(rm -rf /)' }, artifacts: {} },
        outputs: { params: { argv: 'list' }, artifacts: {} },
      }),
      { store: box.store, workDir },
    );
    expect(out.outputs.params['argv']).toEqual(['$(rm -rf /)', ...hostile]);
    const files = await readdir(workDir);
    expect(files.filter((f) => f.startsWith('pwned'))).toEqual([]);
  });

  test('a non-zero exit is a user failure with the exit code, and stdout/stderr are in the log tail and the saved log', async () => {
    const req = request(container(['sh', '-c', 'echo to-stdout; echo to-stderr >&2; exit 3']));
    const lines: string[] = [];
    const error = await failure(
      runStep(req, { store: box.store, workDir: box.workDir(), onLog: (line) => lines.push(line) }),
    );
    expect(error).toMatchObject({ failureType: 'user', reason: 'NonZeroExit', exitCode: 3, retryable: false });
    expect(error.logTail).toContain('to-stdout');
    expect(error.logTail).toContain('to-stderr');
    expect(lines).toEqual(expect.arrayContaining(['to-stdout', 'to-stderr']));
    const saved = await box.store.readText(box.store.keyOf(error.logUri as string));
    expect(saved).toContain('to-stderr');
    expect(saved).toContain('image alpine:3 is ignored');
    expect(await box.store.exists(executorOutputKey(req.executionKey))).toBe(false);
  });

  test('an unknown command is a user failure with exit code 127', async () => {
    const error = await failure(
      runStep(request(container(['definitely-not-a-command-kiln'])), { store: box.store, workDir: box.workDir() }),
    );
    expect(error).toMatchObject({ failureType: 'user', reason: 'CommandNotFound', exitCode: 127 });
  });

  test('a command killed by SIGKILL (as the OOM killer does) is a user failure naming the signal', async () => {
    const error = await failure(
      runStep(request(container(['sh', '-c', 'kill -9 $$'])), { store: box.store, workDir: box.workDir() }),
    );
    expect(error).toMatchObject({ failureType: 'user', reason: 'Signal:SIGKILL', exitCode: 137 });
  });

  test('output artifacts are published with sha256 digests and metadata, and the executor-output record is written', async () => {
    const component = container(
      [
        'sh',
        '-c',
        'printf model-bytes > "$0"; echo \'{"framework":"none"}\' > "$1"; echo 0.93 > "$2"',
        { kind: 'outputPath', output: 'model' },
        { kind: 'outputMetadata', output: 'model' },
        { kind: 'outputPath', output: 'accuracy' },
      ],
      { outputs: { model: artifact('model'), accuracy: param('float') } },
    );
    const uri = box.store.uriFor('runs/r1/train/model.bin');
    const req = request(component, {
      outputs: { params: { accuracy: 'float' }, artifacts: { model: { uri, type: 'model' } } },
    });
    const out = await runStep(req, { store: box.store, workDir: box.workDir() });
    expect(out.exitCode).toBe(0);
    expect(out.outputs.params).toEqual({ accuracy: 0.93 });
    expect(out.outputs.artifacts['model']).toEqual({
      uri,
      type: 'model',
      digest: digestBytes('model-bytes'),
      metadata: { framework: 'none' },
    });
    expect(await box.store.readText('runs/r1/train/model.bin')).toBe('model-bytes');
    expect(await box.store.readJson(executorOutputKey(req.executionKey), executorOutputSchema)).toEqual(out);
    expect(await box.store.readText(box.store.keyOf(out.logUri))).toContain('command exited 0');
  });

  test('output parameters are parsed per type; a string loses one trailing newline', async () => {
    const script =
      'echo yes > "$0"; echo 42 > "$1"; echo true > "$2"; echo \'[1,{"a":2}]\' > "$3"; echo \'{"k":"v"}\' > "$4"';
    const outputs = { s: param('string'), i: param('int'), b: param('bool'), l: param('list'), o: param('object') };
    const component = container(
      ['sh', '-c', script, ...Object.keys(outputs).map((output) => ({ kind: 'outputPath' as const, output }))],
      { outputs },
    );
    const out = await runStep(
      request(component, {
        outputs: { params: { s: 'string', i: 'int', b: 'bool', l: 'list', o: 'object' }, artifacts: {} },
      }),
      { store: box.store, workDir: box.workDir() },
    );
    expect(out.outputs.params).toEqual({ s: 'yes', i: 42, b: true, l: [1, { a: 2 }], o: { k: 'v' } });
  });

  test('a missing or mistyped output parameter is a user failure', async () => {
    const outputs = { n: param('int') };
    const missing = await failure(
      runStep(request(container(['true'], { outputs }), { outputs: { params: { n: 'int' }, artifacts: {} } }), {
        store: box.store,
        workDir: box.workDir(),
      }),
    );
    expect(missing).toMatchObject({ failureType: 'user', reason: 'MissingOutputParam' });
    const wrong = await failure(
      runStep(
        request(container(['sh', '-c', 'echo 1.5 > "$0"', { kind: 'outputPath', output: 'n' }], { outputs }), {
          outputs: { params: { n: 'int' }, artifacts: {} },
        }),
        {
          store: box.store,
          workDir: box.workDir(),
        },
      ),
    );
    expect(wrong).toMatchObject({ failureType: 'user', reason: 'InvalidOutputParam' });
  });

  test('a directory output is one artifact with a directory digest; a downstream step reads it as a directory', async () => {
    const produce = container(
      [
        'sh',
        '-c',
        'mkdir -p "$0/sub" && printf A > "$0/a.txt" && printf B > "$0/sub/b.txt"',
        { kind: 'outputPath', output: 'model' },
      ],
      {
        outputs: { model: artifact('model') },
      },
    );
    const uri = box.store.uriFor('runs/r/produce/model');
    const first = await runStep(
      request(produce, { outputs: { params: {}, artifacts: { model: { uri, type: 'model' } } } }),
      { store: box.store, workDir: box.workDir() },
    );
    const local = join(box.dir, 'expected');
    await mkdir(join(local, 'sub'), { recursive: true });
    await writeFile(join(local, 'a.txt'), 'A');
    await writeFile(join(local, 'sub', 'b.txt'), 'B');
    expect(first.outputs.artifacts['model']?.digest).toBe((await digestDirectory(local)).digest);
    expect((await box.store.stat('runs/r/produce/model')).kind).toBe('directory');

    const consume = container(
      [
        'sh',
        '-c',
        'cat "$0/sub/b.txt" > "$1"',
        { kind: 'inputPath', input: 'model' },
        { kind: 'outputPath', output: 'seen' },
      ],
      {
        inputs: { model: artifact('model') },
        outputs: { seen: param('string') },
      },
    );
    const second = await runStep(
      request(consume, {
        inputs: { params: {}, artifacts: { model: first.outputs.artifacts['model'] as LaunchArtifact } },
        outputs: { params: { seen: 'string' }, artifacts: {} },
      }),
      { store: box.store, workDir: box.workDir() },
    );
    expect(second.outputs.params['seen']).toBe('B');
  });

  test('input artifacts are fetched to local files; inputs outside the store (file://) are read in place', async () => {
    await writeFile(join(box.dir, 'external.csv'), 'x,y\n1,2\n');
    const component = container(
      ['sh', '-c', 'cat "$0" > "$1"', { kind: 'inputPath', input: 'data' }, { kind: 'outputPath', output: 'copy' }],
      {
        inputs: { data: artifact('dataset') },
        outputs: { copy: param('string') },
      },
    );
    const out = await runStep(
      request(component, {
        inputs: {
          params: {},
          artifacts: { data: { uri: `file://${box.dir}/external.csv`, type: 'dataset', metadata: {} } },
        },
        outputs: { params: { copy: 'string' }, artifacts: {} },
      }),
      { store: box.store, workDir: box.workDir() },
    );
    expect(out.outputs.params['copy']).toBe('x,y\n1,2');
  });

  test('a missing output artifact is a user failure naming it', async () => {
    const component = container(['true'], { outputs: { model: artifact('model') } });
    const error = await failure(
      runStep(
        request(component, {
          outputs: { params: {}, artifacts: { model: { uri: box.store.uriFor('m'), type: 'model' } } },
        }),
        { store: box.store, workDir: box.workDir() },
      ),
    );
    expect(error).toMatchObject({ failureType: 'user', reason: 'MissingOutputArtifact' });
    expect(error.message).toContain('"model"');
  });

  test('an executionKey that cannot be a store key is a configuration error', async () => {
    const error = await failure(
      runStep(request(container(['true']), { executionKey: '../escape' }), {
        store: box.store,
        workDir: box.workDir(),
      }),
    );
    expect(error).toMatchObject({ failureType: 'configuration', reason: 'InvalidExecutionKey' });
  });
});

describe('stopping a step', () => {
  /** Running, not a zombie: in a container PID 1 may never reap the orphans we killed. */
  function isAlive(pid: number): boolean {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }

  test('cancellation kills the whole process tree', async () => {
    const workDir = box.workDir();
    const component = container(['sh', '-c', 'sleep 300 & echo $! > bg.pid; sleep 300']);
    const controller = new AbortController();
    let pid = 0;
    const running = runStep(request(component), {
      store: box.store,
      workDir,
      signal: controller.signal,
      graceMs: 500,
      onSpawn: (p) => (pid = p),
    });
    const pidFile = join(workDir, 'bg.pid');
    while (!existsSync(pidFile) || (await readFile(pidFile, 'utf8')).trim() === '')
      await new Promise((r) => setTimeout(r, 20));
    const background = Number((await readFile(pidFile, 'utf8')).trim());
    expect(isAlive(background)).toBe(true);
    controller.abort();
    const error = await failure(running);
    expect(error).toMatchObject({ failureType: 'cancelled', reason: 'Cancelled' });
    expect(isAlive(pid)).toBe(false);
    expect(isAlive(background)).toBe(false);
  });

  test('a step cancelled while its inputs are fetched never starts its command', async () => {
    const workDir = box.workDir();
    const controller = new AbortController();
    const phases: string[] = [];
    let spawned = false;
    const error = await failure(
      runStep(request(container(['sh', '-c', 'touch ran'])), {
        store: box.store,
        workDir,
        signal: controller.signal,
        // Cancelled as the fetch begins: the fetch runs to its end, the command must not start after it.
        onPhase: (phase) => {
          phases.push(phase);
          if (phase === 'fetching-inputs') controller.abort();
        },
        onSpawn: () => (spawned = true),
      }),
    );
    expect(error).toMatchObject({ failureType: 'cancelled', reason: 'Cancelled' });
    expect(phases).toEqual(['fetching-inputs']);
    expect(spawned).toBe(false);
    expect(existsSync(join(workDir, 'ran'))).toBe(false);
    // The log is still saved, saying why the step ended.
    expect(await box.store.readText(box.store.keyOf(error.logUri as string))).toContain(
      'step failed (cancelled, Cancelled)',
    );
  });

  test('a step past its timeout is stopped and fails as DeadlineExceeded', async () => {
    const started = Date.now();
    const error = await failure(
      runStep(request(container(['sleep', '30']), { timeoutSeconds: 1 }), {
        store: box.store,
        workDir: box.workDir(),
        graceMs: 200,
      }),
    );
    expect(error).toMatchObject({ failureType: 'user', reason: 'DeadlineExceeded' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('background processes a successful command leaves behind are cleaned up', async () => {
    const workDir = box.workDir();
    await runStep(request(container(['sh', '-c', 'sleep 300 > /dev/null 2>&1 & echo $! > bg.pid'])), {
      store: box.store,
      workDir,
    });
    const background = Number((await readFile(join(workDir, 'bg.pid'), 'utf8')).trim());
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(background)).toBe(false);
  });
});

describe('a step log that cannot be written', () => {
  test('fails the step as a retryable infrastructure error instead of crashing the process the launcher runs in', async () => {
    const workDir = box.workDir();
    // A folder where the log file should be: opening it for writing fails (EISDIR), like a full disk would fail a write.
    await mkdir(new WorkLayout(workDir).logFile, { recursive: true });
    const error = await failure(
      runStep(request(container(['true'])), { store: box.store, workDir, liveLogIntervalMs: false }),
    );
    expect(error.failureType).toBe('infrastructure');
    expect(error.reason).toBe('LogWriteFailed');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/cannot write the step log .*EISDIR/);
  });
});

describe('invalid options', () => {
  test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])(
    'liveLogIntervalMs %p is a configuration failure before any log is opened',
    async (interval) => {
      const workDir = box.workDir();
      const error = await failure(
        runStep(request(container(['true'])), { store: box.store, workDir, liveLogIntervalMs: interval }),
      );
      expect(error).toMatchObject({ failureType: 'configuration', reason: 'InvalidOption' });
      expect(error.message).toContain(
        `liveLogIntervalMs must be a positive number of ms or false, got ${String(interval)}`,
      );
      expect(existsSync(new WorkLayout(workDir).logFile)).toBe(false);
    },
  );
});
