/**
 * API load test: N concurrent runs of a 5-step no-op pipeline, started through
 * the HTTP API, executed by ONE worker process with the local executor, all
 * against the Temporal dev server of tools/testenv and a file:// store in a temp
 * folder. The worker and the API run as real processes (`apps/*\/src/main.ts`)
 * so the worker's peak memory is its own (`VmHWM` of its process; step
 * launcher processes are children and not included). Bounded: gives up after
 * `--timeout` seconds, stops both processes by pid, and exits non-zero if any
 * run did not succeed. Appends a table to tools/bench/results/api-load.md.
 *
 * Then, with Kiln's processes stopped, the hand-written reference (`hand.ts`: the same runs as plain
 * Temporal workflows on one worker with the same activity slots) for the ratio issue 14 asks for.
 *
 *   npx tsx tools/bench/api-load/run.ts [--runs 100] [--steps 5] [--activities 4×CPUs] [--timeout 1200] [--no-record] [--no-hand]
 *
 * `KILN_BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` profiles the worker process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { getTestEnvironment } from '../../testenv/src';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 100);
const STEPS = arg('steps', 5);
// The worker's own default for local steps (apps/worker/src/config/concurrency.ts), made explicit for the report.
const ACTIVITIES = arg('activities', Math.max(4, 4 * availableParallelism()));
const TIMEOUT_S = arg('timeout', 1200);
/** Print the report without appending it to the results file (smoke runs). */
const RECORD = !process.argv.includes('--no-record');
/** Leave out the hand-written reference. */
const HAND = !process.argv.includes('--no-hand');

const root = resolve(dirname(new URL(import.meta.url).pathname), '../../..');
const results = join(root, 'tools/bench/results/api-load.md');
const temporal = getTestEnvironment(['temporal']).temporal;
const dir = mkdtempSync(join(tmpdir(), 'kiln-api-load-'));
const storeDir = join(dir, 'store');
const token = randomBytes(16).toString('hex');
const port = 20000 + Math.floor(Math.random() * 20000);
const taskQueue = `kiln-api-load-${Date.now()}`;
const experiment = `load-${Date.now()}`;
const base = `http://127.0.0.1:${port}`;
const deadline = Date.now() + TIMEOUT_S * 1000;

const common = {
  ...process.env,
  KILN_TEMPORAL_ADDRESS: temporal.address,
  KILN_TEMPORAL_NAMESPACE: temporal.namespace,
  KILN_TASK_QUEUE: taskQueue,
  KILN_ARTIFACTS: pathToFileURL(storeDir).href,
  KILN_LOG_LEVEL: 'warn',
};

/** Extra Node options for the worker process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it. */
const WORKER_NODE_ARGS = (process.env['KILN_BENCH_WORKER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);

function startProcess(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, script)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code) => {
    if (!stopping) process.stderr.write(`${name} exited early (${code}):\n${tail}\n`);
  });
  return child;
}

let stopping = false;
async function stop(children: ChildProcess[]): Promise<void> {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : undefined)),
  );
}

function status(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

/** The parts of the API's answers the bench reads. */
interface RunDoc {
  runId: string;
  state: string;
  error?: string;
  startedAt: string;
  finishedAt: string;
  temporal: { status: string };
  tasks: { id: string; startedAt?: string; finishedAt?: string }[];
}
interface Answer {
  runId: string;
  error?: { message: string };
}

async function api<T = Answer>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as T };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, everyMs = 500): Promise<T> {
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A chain of STEPS no-op container steps: `true`, which does nothing and exits 0. */
function noopSpec() {
  const tasks: Record<string, unknown> = {};
  for (let i = 1; i <= STEPS; i++) {
    tasks[`step-${i}`] = {
      type: 'task',
      component: 'noop',
      inputs: {},
      dependsOn: i > 1 ? [`step-${i - 1}`] : [],
      settings: {},
    };
  }
  return {
    schemaVersion: '1.0',
    pipeline: { name: 'api-load-noop' },
    params: {},
    settings: {},
    components: {
      noop: {
        name: 'noop',
        inputs: {},
        outputs: {},
        implementation: { type: 'container', image: 'busybox', command: ['true'] },
      },
    },
    root: { tasks },
    outputs: {},
  };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor(q * s.length))] as number) : NaN;
};
const ms = (a: string, b: string) => Date.parse(b) - Date.parse(a);

/** The worker and the API as processes of their own, on the bench's task queue, store and port. */
function startServices(metricsPort: number): { worker: ChildProcess; children: ChildProcess[] } {
  const worker = startProcess(
    'worker',
    'apps/worker/src/main.ts',
    {
      ...common,
      KILN_WORK_ROOT: join(dir, 'work'),
      KILN_METRICS_PORT: String(metricsPort),
      KILN_METRICS_HOST: '127.0.0.1',
      KILN_MAX_CONCURRENT_ACTIVITIES: String(ACTIVITIES),
    },
    WORKER_NODE_ARGS,
  );
  const apiProcess = startProcess('api', 'apps/api/src/main.ts', {
    ...common,
    KILN_API_PORT: String(port),
    KILN_API_TOKENS: `bench:admin:${createHash('sha256').update(token).digest('hex')}`,
  });
  return { worker, children: [worker, apiProcess] };
}

/** The worker's RSS read every 250 ms while it runs: the highest seen, between the VmHWM reads. */
function sampleRss(worker: ChildProcess): { peak: () => number; stop: () => void } {
  let rssPeakSampled = 0;
  const sampler = setInterval(() => {
    if (worker.pid && worker.exitCode === null) rssPeakSampled = Math.max(rssPeakSampled, status(worker.pid, 'VmRSS'));
  }, 250);
  return { peak: () => rssPeakSampled, stop: () => clearInterval(sampler) };
}

/** Waits for the API and the worker, then uploads the no-op pipeline. */
async function prepare(metricsPort: number): Promise<void> {
  await waitFor('the API to be ready', async () => ((await api('GET', '/readyz')).status === 200 ? true : undefined));
  await waitFor('the worker to poll', async () =>
    (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).ok ? true : undefined,
  );
  const uploaded = await api('POST', '/pipelines', noopSpec());
  if (uploaded.status >= 300) throw new Error(`upload failed: ${JSON.stringify(uploaded.json)}`);
}

/** One run alone first: the uncontended per-step cost, and a warm worker (workflow cache, tsx cache). */
async function warmUpRun(): Promise<RunDoc> {
  const warm = await api('POST', '/runs', {
    pipeline: { name: 'api-load-noop' },
    cache: false,
    experiment: `${experiment}-warmup`,
  });
  return waitFor('the warm-up run', async () => {
    const r = (await api<RunDoc>('GET', `/runs/${warm.json.runId}`)).json;
    return r.temporal.status !== 'RUNNING' ? r : undefined;
  });
}

interface Load {
  created: { runId: string; createMs: number }[];
  /** First create → the last create answered. */
  createdAll: number;
  /** First create → every run's result received from Temporal. */
  wall: number;
  /** First create → the latest `finishedAt` of the runs: the wall without the polling's lag. */
  wallToLastEnd: number;
  docs: RunDoc[];
}

/**
 * RUNS runs created at once; their ends are awaited through Temporal (the workflow results, as the
 * hand-written reference awaits its own), then each run's document is read once from the API. Polling
 * `GET /runs/:id` instead would put a status query per run every few seconds on the one worker that is
 * being measured, a load the reference does not have.
 */
async function runLoad(): Promise<Load> {
  const t0 = Date.now();
  const created = await Promise.all(
    Array.from({ length: RUNS }, async () => {
      const start = Date.now();
      const res = await api('POST', '/runs', { pipeline: { name: 'api-load-noop' }, cache: false, experiment });
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.json)}`);
      return { runId: res.json.runId as string, createMs: Date.now() - start };
    }),
  );
  const createdAll = Date.now() - t0;
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const client = new Client({ connection, namespace: temporal.namespace });
    const remaining = Math.max(1000, deadline - Date.now());
    await Promise.race([
      Promise.all(
        created.map(({ runId }) =>
          client.workflow
            .getHandle(runId)
            .result()
            .catch(() => undefined),
        ),
      ),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`timed out waiting for ${RUNS} runs to end`)), remaining).unref(),
      ),
    ]);
  } finally {
    await connection.close();
  }
  const wall = Date.now() - t0;
  const docs = await Promise.all(created.map(async ({ runId }) => (await api<RunDoc>('GET', `/runs/${runId}`)).json));
  const lastEnd = Math.max(...docs.map((d) => Date.parse(d.finishedAt)));
  return { created, createdAll, wall, wallToLastEnd: lastEnd - t0, docs };
}

interface StepTimings {
  stepMs: number[];
  launcherMs: number[];
  overheadMs: number[];
  gapMs: number[];
  runMs: number[];
}

/** Per step of every run: its duration, the launcher's share (from its executor-output record), and the gap before it. */
function stepTimings(all: RunDoc[]): StepTimings {
  const timings: StepTimings = { stepMs: [], launcherMs: [], overheadMs: [], gapMs: [], runMs: [] };
  const { stepMs, launcherMs, overheadMs, gapMs, runMs } = timings;
  for (const d of all) {
    runMs.push(ms(d.startedAt, d.finishedAt));
    const tasks = [...d.tasks].sort((a, b) => Number(a.id.split('-')[1]) - Number(b.id.split('-')[1]));
    tasks.forEach((t, i) => {
      if (!t.startedAt || !t.finishedAt) return;
      const step = ms(t.startedAt, t.finishedAt);
      stepMs.push(step);
      const record = join(storeDir, 'executions', `${d.runId}.${t.id}.1`, 'executor-output.json');
      if (existsSync(record)) {
        const out = JSON.parse(readFileSync(record, 'utf8'));
        const launcher = ms(out.startedAt, out.finishedAt);
        launcherMs.push(launcher);
        overheadMs.push(step - launcher);
      }
      const prev = tasks[i - 1];
      if (prev?.finishedAt) gapMs.push(ms(prev.finishedAt, t.startedAt));
    });
  }
  return timings;
}

interface Memory {
  /** RSS of the worker before the burst. */
  before: number;
  /** VmHWM of the worker after it. */
  peak: number;
  rssPeakSampled: number;
}

/** The Markdown section for the results file. */
/** The hand-written reference's answer (hand.ts). */
interface HandResult {
  wallMs: number;
  startedAllMs: number;
  runs: number;
  failed: number;
}

/** The same load as plain Temporal workflows (hand.ts), in a process of its own; undefined with `--no-hand`. */
function runHandReference(): HandResult | undefined {
  if (!HAND) return undefined;
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'tools/bench/api-load/hand.ts'),
      temporal.address,
      temporal.namespace,
      String(RUNS),
      String(STEPS),
      String(ACTIVITIES),
    ],
    { cwd: root, encoding: 'utf8', timeout: Math.max(60_000, deadline - Date.now()) },
  );
  if (result.status !== 0) throw new Error(`the hand-written reference failed: ${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as HandResult;
}

function handLines(load: Load, hand: HandResult | undefined): string[] {
  if (!hand) return HAND ? ['', 'The hand-written reference failed to run (see the stderr of run.ts); no ratio.'] : [];
  return [
    '',
    `Hand-written reference (\`tools/bench/api-load/hand.ts\`, run after Kiln's processes stopped): the same ${hand.runs} runs as plain Temporal workflows (\`handChain\`: one activity per step spawning \`true\`) on one worker with the same ${ACTIVITIES} activity slots, started with the Temporal client: ${hand.runs - hand.failed}/${hand.runs} succeeded, all started in ${hand.startedAllMs} ms, last result ${(hand.wallMs / 1000).toFixed(1)} s after the first start.`,
    `**Kiln ÷ hand-written, wall: ${(load.wallToLastEnd / hand.wallMs).toFixed(2)}×** (${(load.wallToLastEnd / 1000).toFixed(1)} s first create → latest \`finishedAt\`, against ${(hand.wallMs / 1000).toFixed(1)} s).`,
  ];
}

function loadReport(load: Load, warmDoc: RunDoc, memory: Memory, hand?: HandResult): string {
  const { created, createdAll, wall } = load;
  const { peak, rssPeakSampled } = memory;
  const memoryBefore = memory.before;
  const succeeded = load.docs.filter((d) => d.state === 'SUCCEEDED').length;
  const { stepMs, launcherMs, overheadMs, gapMs, runMs } = stepTimings(load.docs);
  const warmSteps = warmDoc.tasks.flatMap((t) => (t.startedAt && t.finishedAt ? [ms(t.startedAt, t.finishedAt)] : []));
  const row = (label: string, xs: number[]) =>
    `| ${label} | ${Math.round(quantile(xs, 0.5))} | ${Math.round(quantile(xs, 0.95))} | ${Math.round(Math.max(...xs))} |`;
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    '',
    `## ${new Date().toISOString()}`,
    '',
    `Machine: ${cpus().length} CPUs (${cpu}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; Node ${process.version}; Temporal dev server from tools/testenv (SQLite, same machine).`,
    `Load: ${RUNS} concurrent runs of a ${STEPS}-step chain of no-op container steps (\`true\`), created with \`POST /runs\` (cache off), one worker process (local executor, maxConcurrentActivityTaskExecutions=${ACTIVITIES}, maxCachedWorkflows=200), one API process, file:// store.`,
    '',
    `Result: **${succeeded}/${RUNS} succeeded**; all ${RUNS} created in ${createdAll} ms (create p50 ${quantile(
      created.map((c) => c.createMs),
      0.5,
    )} ms, p95 ${quantile(
      created.map((c) => c.createMs),
      0.95,
    )} ms); last run ended ${(wall / 1000).toFixed(1)} s after the first create (${((RUNS * STEPS) / (wall / 1000)).toFixed(1)} steps/s).`,
    `Worker peak memory (VmHWM of the worker process, launcher children excluded): **${(peak / 2 ** 20).toFixed(0)} MiB** (RSS ${(memoryBefore / 2 ** 20).toFixed(0)} MiB before the burst; sampled RSS peak ${(rssPeakSampled / 2 ** 20).toFixed(0)} MiB).`,
    `Uncontended (the warm-up run alone): step p50 ${Math.round(quantile(warmSteps, 0.5))} ms, run ${ms(warmDoc.startedAt, warmDoc.finishedAt)} ms for ${STEPS} steps.`,
    '',
    '| per step, under load (ms) | p50 | p95 | max |',
    '|---|---|---|---|',
    row('step: scheduled → result (status document)', stepMs),
    row('launcher: its own start → outputs recorded', launcherMs),
    row('overhead outside the launcher (dispatch, queueing, process start)', overheadMs),
    row('gap: previous step done → next step scheduled', gapMs),
    row(`whole run (${STEPS} steps)`, runMs),
    ...handLines(load, hand),
    '',
    'A no-op step\'s whole duration is overhead: the command itself takes about a millisecond. Under load, "scheduled → result" is mostly waiting for an activity slot or a CPU; the launcher runs in the worker and each step is one child process.',
    '',
  ].join('\n');
}

function appendToResults(report: string): void {
  if (!existsSync(results))
    writeFileSync(
      results,
      '# API load test: concurrent runs through the API on one worker\n\nWritten by `tools/bench/api-load/run.ts`; newest last.\n',
    );
  appendFileSync(results, report);
}

function failUnlessAllSucceeded(all: RunDoc[]): void {
  const failed = all.filter((d) => d.state !== 'SUCCEEDED');
  if (failed.length === 0) return;
  const examples = failed.slice(0, 3).map((d) => `${d.runId}: ${d.state} ${d.error ?? ''}`);
  throw new Error(`${failed.length} run(s) did not succeed, e.g.\n${examples.join('\n')}`);
}

async function main(): Promise<void> {
  const metricsPort = port + 1;
  const { worker, children } = startServices(metricsPort);
  const rss = sampleRss(worker);
  let measured: { load: Load; warmDoc: RunDoc; memory: Memory };
  try {
    await prepare(metricsPort);
    const warmDoc = await warmUpRun();
    const memoryBefore = worker.pid ? status(worker.pid, 'VmRSS') : 0;
    const load = await runLoad();
    const peak = worker.pid ? status(worker.pid, 'VmHWM') : 0;
    measured = { load, warmDoc, memory: { before: memoryBefore, peak, rssPeakSampled: rss.peak() } };
  } finally {
    rss.stop();
    await stop(children);
  }
  try {
    // Kiln's worker and API are stopped: the reference has the machine to itself, as Kiln had.
    let hand: HandResult | undefined;
    try {
      hand = runHandReference();
    } catch (error) {
      // Kiln's measurement is still worth recording; the missing reference is said in the report.
      process.stderr.write(`api-load: ${(error as Error).message}\n`);
    }
    const report = loadReport(measured.load, measured.warmDoc, measured.memory, hand);
    if (RECORD) appendToResults(report);
    process.stdout.write(report);
    failUnlessAllSucceeded(measured.load.docs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`api-load: ${error.message}\n`);
    process.exit(1);
  },
);
