/**
 * `kiln run` as users run it: bin/kiln in a child process, steps executed by the
 * real local executor. Embedded mode starts its own dev server; the
 * TEMPORAL_ADDRESS mode uses tools/testenv's server and a worker in this process
 * (`@kiln/testing`'s `startTestWorker`).
 */
import { getTestEnvironment } from '@kiln/testenv';
import { openStore } from '@kiln/artifacts';
import { type RunStatusDocument } from '@kiln/engine-contract';
import { startTestWorker } from '@kiln/testing';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const kiln = join(root, 'bin/kiln');
const fixtures = join(__dirname, 'fixtures', 'run');
const store = `file://${mkdtempSync(join(tmpdir(), 'kiln-run-test-'))}`;

/** Async, so an in-process worker keeps serving while the CLI runs. */
function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const { TEMPORAL_ADDRESS: _ignored, ...inherited } = process.env;
    const child = spawn(kiln, args, { cwd: tmpdir(), env: { ...inherited, KILN_ARTIFACTS: store, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

describe('kiln run (embedded Temporal)', () => {
  test('runs an IR file to success, shows progress and the UI link, prints the status document with --json', async () => {
    const r = await run(['run', join(fixtures, 'hello.json'), '--param', 'who=kiln', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/Temporal UI: http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\/kiln-hello-/);
    expect(r.stderr).toContain('✓ greet');
    const doc = JSON.parse(r.stdout) as RunStatusDocument;
    expect(doc).toMatchObject({ state: 'SUCCEEDED', params: { who: 'kiln' }, pipeline: { name: 'hello' } });
    expect(doc.tasks.map((t) => [t.id, t.state])).toEqual([
      ['greet', 'succeeded'],
      ['again', 'succeeded'],
    ]);
  }, 120_000);

  test('exits 1 when a step fails, after running the exit handler', async () => {
    const r = await run(['run', join(fixtures, 'fails.yaml'), '--json']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as RunStatusDocument;
    expect(doc.state).toBe('FAILED');
    expect(doc.tasks.find((t) => t.id === 'boom')).toMatchObject({ state: 'failed', exitCode: 3 });
    expect(doc.tasks.find((t) => t.id === 'notify')?.state).toBe('succeeded');
    expect(r.stderr).toContain('✗ boom');
  }, 120_000);

  test('prints one line per failed attempt with its class and reason, and keeps the SDK logs in a file', async () => {
    const r = await run(['run', join(fixtures, 'retries.yaml')]);
    expect(r.status).toBe(1);
    const attempts = r.stderr.split('\n').filter((line) => line.includes('✗ flaky'));
    // With no attempt lines at all, what the command printed instead is the clue.
    if (attempts.length === 0) expect(r.stderr).toBe('(one line per failed attempt)');
    expect(attempts).toEqual([
      '  ✗ flaky attempt 1 failed: user NonZeroExit: the command exited with code 3; exit code 3; retrying',
      '  ✗ flaky attempt 2 failed: user NonZeroExit: the command exited with code 3; exit code 3; retrying',
      expect.stringMatching(
        /^ {2}✗ flaky failed attempt 3 [\d.]+s: attempt 3 failed: user NonZeroExit: the command exited with code 3; exit code 3$/,
      ),
    ]);
    // The Temporal SDK's warning per failed activity (a stack trace) is in the log file, not on stderr.
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('Activity failed');
    const logFile = /worker logs: (\S+) \(--verbose shows them here\)/.exec(r.stderr)?.[1];
    expect(logFile).toBeDefined();
    expect(readFileSync(logFile ?? '', 'utf8')).toContain('Activity failed');
  }, 120_000);

  test('refuses a pipeline whose executor setting is kubernetes, naming the setting, before starting anything', async () => {
    const spec = JSON.parse(readFileSync(join(fixtures, 'hello.json'), 'utf8')) as {
      settings: Record<string, unknown>;
    };
    spec.settings = { ...spec.settings, executor: 'kubernetes' };
    const file = join(mkdtempSync(join(tmpdir(), 'kiln-run-k8s-')), 'hello-k8s.json');
    writeFileSync(file, JSON.stringify(spec));
    const r = await run(['run', file, '--param', 'who=kiln']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the pipeline's executor setting asks for kubernetes; set TEMPORAL_ADDRESS");
    expect(r.stderr).not.toContain('starting an embedded Temporal dev server');
  }, 60_000);

  test('rejects an unknown parameter before starting anything', async () => {
    const r = await run(['run', join(fixtures, 'hello.json'), '--param', 'nobody=1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("has no parameter 'nobody'");
  }, 60_000);
});

describe('kiln run (TEMPORAL_ADDRESS)', () => {
  test('starts the run on the configured server for a running worker', async () => {
    const temporal = getTestEnvironment(['temporal']).temporal;
    const taskQueue = `kiln-cli-test-${randomUUID()}`;
    const worker = await startTestWorker({
      taskQueue,
      store: openStore(store),
      workRoot: mkdtempSync(join(tmpdir(), 'kiln-cli-test-work-')),
    });
    try {
      const r = await run(['run', join(fixtures, 'hello.json'), '--json'], {
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        KILN_TASK_QUEUE: taskQueue,
        KILN_TEMPORAL_UI: temporal.ui,
      });
      expect(r.status).toBe(0);
      expect(r.stderr).not.toContain('embedded');
      expect((JSON.parse(r.stdout) as RunStatusDocument).params).toEqual({ who: 'world' });
    } finally {
      await worker.stop();
    }
  }, 300_000);
});
