/**
 * The spawn helper against real processes: what `runProcess` reports through it is what it reports
 * for a command it spawned itself, and the helper's own failures end steps plainly.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LaunchError, runProcess, runStepCommand, SpawnHelper, type ProcessOutcome } from '../src';

let dir: string;
let helper: SpawnHelper;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-spawn-helper-'));
  helper = new SpawnHelper();
});
afterEach(async () => {
  helper.stop();
  await rm(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs argv both ways and returns both outcomes and logs. */
async function bothWays(argv: string[]): Promise<{ outcome: ProcessOutcome; log: string; lines: string[] }[]> {
  const results = [];
  for (const spawner of [undefined, helper]) {
    const chunks: Buffer[] = [];
    const lines: string[] = [];
    const outcome = await runProcess(argv, {
      cwd: dir,
      env: { ...process.env, GREETING: 'hello' },
      log: { write: (chunk: Buffer) => chunks.push(chunk) },
      onLog: (line, stream) => lines.push(`${stream}: ${line}`),
      ...(spawner && { spawner }),
    });
    results.push({ outcome, log: Buffer.concat(chunks).toString('utf8'), lines });
  }
  return results;
}

test('a command reports the same exit, output lines and environment through the helper as spawned directly', async () => {
  const [direct, helped] = await bothWays([
    'sh',
    '-c',
    'echo "$GREETING from $(pwd)"; echo oops >&2; printf tail; exit 3',
  ]);
  // Which stream's last partial line comes first is up to the pipes, either way.
  expect(helped?.outcome).toEqual(direct?.outcome);
  expect(helped?.outcome).toEqual({ exitCode: 3 });
  expect(helped?.lines.sort()).toEqual(direct?.lines.sort());
  expect(helped?.lines).toEqual([`stdout: hello from ${dir}`, 'stderr: oops', 'stdout: tail'].sort());
  expect(helped?.log).toMatch(new RegExp(`^hello from ${dir}\n(tailoops\n|oops\ntail)$`));
  expect(helper.pid).toBeDefined();
});

test('a command that does not exist and one killed by a signal are reported as spawned directly', async () => {
  const [direct, helped] = await bothWays(['kiln-no-such-command']);
  expect(helped?.outcome.exitCode).toBe(127);
  expect(helped?.outcome.spawnError?.code).toBe('ENOENT');
  expect(helped?.outcome.spawnError?.message).toBe(direct?.outcome.spawnError?.message);
  const [directKill, helpedKill] = await bothWays(['sh', '-c', 'kill -KILL $$']);
  expect(helpedKill?.outcome).toEqual(directKill?.outcome);
  expect(helpedKill?.outcome).toEqual({ exitCode: 137, signal: 'SIGKILL' });
});

test('40 MB of output arrives through the helper whole and in order', async () => {
  const script =
    'for i in $(seq 1 500000); do echo "line $i of the output, padded to about a hundred bytes ....................."; done';
  const direct = createHash('sha256');
  const helped = createHash('sha256');
  let bytes = 0;
  await runProcess(['sh', '-c', script], {
    cwd: dir,
    env: process.env,
    log: { write: (c: Buffer) => direct.update(c) },
  });
  const outcome = await runProcess(['sh', '-c', script], {
    cwd: dir,
    env: process.env,
    spawner: helper,
    log: {
      write: (chunk: Buffer) => {
        bytes += chunk.length;
        helped.update(chunk);
      },
    },
  });
  expect(outcome).toEqual({ exitCode: 0 });
  expect(bytes).toBeGreaterThan(40_000_000);
  expect(helped.digest('hex')).toBe(direct.digest('hex'));
}, 60_000);

test('the helper guards the groups it runs (so the executor starts no watchdog for them), and no others', async () => {
  let pid: number | undefined;
  let guardedWhileRunning: boolean | undefined;
  await runProcess(['sh', '-c', 'sleep 0.2'], {
    cwd: dir,
    env: process.env,
    log: { write: () => true },
    spawner: helper,
    onSpawn: (spawned) => {
      pid = spawned;
      guardedWhileRunning = helper.guards(spawned);
    },
  });
  expect(guardedWhileRunning).toBe(true);
  expect(helper.guards(pid as number)).toBe(false);
  expect(helper.guards(process.pid)).toBe(false);
});

test('a cancel that comes before the helper has reported the pid still stops the command', async () => {
  const controller = new AbortController();
  controller.abort();
  const started = Date.now();
  const outcome = await runProcess(['sleep', '30'], {
    cwd: dir,
    env: process.env,
    log: { write: () => true },
    spawner: helper,
    signal: controller.signal,
    graceMs: 2000,
  });
  expect(outcome).toMatchObject({ stoppedBy: 'cancel', signal: 'SIGTERM' });
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a helper that dies mid-step ends the step as an infrastructure failure and stops its command; the next step gets a new helper', async () => {
  let commandPid: number | undefined;
  const step = runStepCommand(['sh', '-c', 'sleep 30'], {
    cwd: dir,
    env: process.env,
    log: { write: () => true },
    spawner: helper,
    onSpawn: (pid) => (commandPid = pid),
  });
  await until('the command to start', () => commandPid !== undefined);
  const firstHelper = helper.pid as number;
  process.kill(firstHelper, 'SIGKILL');
  const error = await step.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LaunchError);
  expect(error).toMatchObject({ failureType: 'infrastructure', reason: 'SpawnHelperLost' });
  expect((error as LaunchError).retryable).toBe(true);
  await until('the orphaned command to be stopped', () => !alive(commandPid as number));

  const next = await runProcess(['true'], { cwd: dir, env: process.env, log: { write: () => true }, spawner: helper });
  expect(next).toEqual({ exitCode: 0 });
  expect(helper.pid).not.toBe(firstHelper);
});

test('when the worker dies, its helper stops every command it started and exits', async () => {
  // A stand-in worker: a Node process that starts `sleep` through its own helper and reports both pids.
  const program = `
    const { SpawnHelper, runProcess } = require(${JSON.stringify(join(__dirname, '../src'))});
    const helper = new SpawnHelper();
    void runProcess(['sleep', '30'], { cwd: '/', env: process.env, log: { write: () => true }, spawner: helper,
      onSpawn: (pid) => console.log(JSON.stringify({ helper: helper.pid, command: pid })) });
  `;
  const worker = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pids = await new Promise<{ helper: number; command: number }>((resolve, reject) => {
    worker.stdout.once('data', (chunk: Buffer) =>
      resolve(JSON.parse(chunk.toString()) as { helper: number; command: number }),
    );
    worker.once('exit', (code) =>
      reject(new Error(`the stand-in worker exited (${code}) before starting its command`)),
    );
  });
  expect(alive(pids.command)).toBe(true);
  worker.kill('SIGKILL');
  await until('the command to be stopped', () => !alive(pids.command));
  await until('the helper to exit', () => !alive(pids.helper));
}, 30_000);

test('an idle helper does not keep its worker running', async () => {
  const program = `
    const { SpawnHelper, runProcess } = require(${JSON.stringify(join(__dirname, '../src'))});
    const helper = new SpawnHelper();
    runProcess(['true'], { cwd: '/', env: process.env, log: { write: () => true }, spawner: helper })
      .then((outcome) => console.log(JSON.stringify({ outcome, helper: helper.pid })));
  `;
  const started = Date.now();
  const worker = spawn(process.execPath, ['-r', 'tsx/cjs', '-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  worker.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => worker.once('exit', resolve));
  expect(code).toBe(0);
  expect(Date.now() - started).toBeLessThan(15_000);
  const report = JSON.parse(out) as { outcome: ProcessOutcome; helper: number };
  expect(report.outcome).toEqual({ exitCode: 0 });
  await until('the helper to follow its worker', () => !alive(report.helper));
}, 30_000);
