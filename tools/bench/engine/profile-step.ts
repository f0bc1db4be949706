/**
 * Where one no-op step's time goes inside the local executor's `runStep` activity, without
 * Temporal: each piece the activity does, timed on its own, repeated, medians reported.
 *
 *   node --import tsx tools/bench/engine/profile-step.ts [--runs 30] [--out tools/bench/results/engine-profile.jsonl]
 *
 * Pieces (a `/bin/true` container step on a file:// store, as in bench.ts):
 *   spawn-noop              spawn `/bin/true` from this process, spawn → close (the floor)
 *   spawn-node-e0           `node -e 0`: a bare Node process start
 *   launcher-process        the bundled launcher CLI as a child process running the step, spawn → close;
 *                           `launcher-process-inside` is the launcher's own startedAt→finishedAt of that step,
 *                           so (launcher-process − launcher-process-inside) is process start-up + exit
 *   launcher-in-process     `runStep` of @kiln/launcher called in this process, with its phases:
 *                           setup (work folder, log, until fetching-inputs), inputs+prepare, command (running → command exited),
 *                           publish (outputs, log upload, executor-output record)
 *   activity-record-miss    the activity's check for an existing executor-output record (a miss)
 *   activity-request-file   the activity's work folder + request.json (process mode only)
 *   activity-cleanup        removing the work folder after success
 *   activity-process        the whole `runStep` activity, launcherMode 'process' (MockActivityEnvironment)
 *   activity-in-process     the whole `runStep` activity, launcherMode 'in-process'
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ArtifactNotFoundError, openStore } from '@kiln/artifacts';
import { createLocalExecutorActivities } from '@kiln/local-executor';
import { launcherBundleCommand, runStep, toLaunchRequest, type LaunchPhase } from '@kiln/launcher';
import { executorOutputKey, executorOutputSchema, locateStep, type LocatedStep } from '@kiln/store-layout';
import { noopComponent } from './specs';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set((process.argv[i] ?? '').replace(/^--/, ''), process.argv[i + 1] ?? '');
const RUNS = Number(args.get('runs') ?? 30);
const OUT = args.get('out');
/** `--in-process-only 1`: leave out the launcher-process pieces (a Node start each, slow under load). */
const IN_PROCESS_ONLY = args.get('in-process-only') === '1';

const base = mkdtempSync(join(tmpdir(), 'kiln-step-profile-'));
const store = openStore(pathToFileURL(join(base, 'store')).href);
const samples = new Map<string, number[]>();
const add = (name: string, ms: number) => samples.set(name, [...(samples.get(name) ?? []), ms]);
const time = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const value = await work();
  add(name, performance.now() - t0);
  return value;
};

let counter = 0;
function request(): LocatedStep {
  const id = `p${++counter}`;
  return locateStep({
    runId: id,
    workflowId: `wf-${id}`,
    pipelineName: 'profile',
    taskId: 'noop',
    iteration: [],
    attempt: 1,
    artifactRoot: store.url,
    summary: 'noop',
    componentId: 'noop',
    component: noopComponent('/bin/true'),
    inputs: { params: {}, artifacts: {} },
    outputs: { params: {}, artifacts: {} },
    settings: {},
    executor: 'local',
  });
}

function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  return new Promise((ok, fail) => {
    const child = spawn(command ?? '', rest, { stdio: 'ignore' });
    child.once('error', fail);
    child.once('close', (code) => ok(code ?? -1));
  });
}

async function launcherProcess(launcher: string[]): Promise<void> {
  const req = request();
  const dir = join(base, 'work', req.executionKey);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'request.json'), JSON.stringify(toLaunchRequest(req)));
  const argv = [
    ...launcher,
    '--request',
    join(dir, 'request.json'),
    '--store',
    store.url,
    '--work-dir',
    join(dir, 'work'),
    '--result',
    join(dir, 'result.json'),
  ];
  const code = await time('launcher-process', () => run(argv));
  if (code !== 0) throw new Error(`launcher exited ${code}`);
  const record = await store.readJson(executorOutputKey(req.executionKey), executorOutputSchema);
  add('launcher-process-inside', Date.parse(record.finishedAt) - Date.parse(record.startedAt));
}

async function launcherInProcess(): Promise<void> {
  const req = request();
  const marks: Array<[LaunchPhase | 'start' | 'exited' | 'end', number]> = [['start', performance.now()]];
  await runStep(toLaunchRequest(req), {
    store,
    workDir: join(base, 'work', req.executionKey),
    onPhase: (phase) => marks.push([phase, performance.now()]),
    onLog: (line) => line === '[kiln] command exited 0' && marks.push(['exited', performance.now()]),
  });
  marks.push(['end', performance.now()]);
  const at = (name: string) => marks.find(([n]) => n === name)?.[1] ?? NaN;
  add('launcher-in-process', at('end') - at('start'));
  add('launcher-in-process: setup', at('fetching-inputs') - at('start'));
  add('launcher-in-process: inputs+prepare', at('running') - at('fetching-inputs'));
  add('launcher-in-process: command', at('exited') - at('running'));
  add('launcher-in-process: publish+record', at('end') - at('exited'));
}

async function activityPieces(): Promise<void> {
  const req = request();
  await time('activity-record-miss', async () => {
    try {
      await store.readJson(executorOutputKey(req.executionKey), executorOutputSchema);
    } catch (error) {
      if (!(error instanceof ArtifactNotFoundError)) throw error;
    }
  });
  const dir = join(base, 'work', `${req.executionKey}-pieces`);
  await time('activity-request-file', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'request.json'), JSON.stringify(toLaunchRequest(req)));
  });
  await mkdir(join(dir, 'work', 'outputs'), { recursive: true });
  await writeFile(join(dir, 'work', 'step.log'), 'x\n');
  await time('activity-cleanup', () => rm(dir, { recursive: true, force: true }));
}

async function main(): Promise<void> {
  const launcher = IN_PROCESS_ONLY ? [] : launcherBundleCommand();
  const quiet = { logger: new DefaultLogger('ERROR') };
  const modes = {
    ...(!IN_PROCESS_ONLY && {
      'activity-process': createLocalExecutorActivities({
        store,
        workRoot: join(base, 'work'),
        launcherMode: 'process',
      }),
    }),
    'activity-in-process': createLocalExecutorActivities({
      store,
      workRoot: join(base, 'work'),
      launcherMode: 'in-process',
    }),
  };
  // Warm-up: page cache, the launcher bundle, JIT.
  if (!IN_PROCESS_ONLY) await launcherProcess(launcher);
  await launcherInProcess();
  for (const activities of Object.values(modes))
    await new MockActivityEnvironment(undefined, quiet).run(activities.runStep, request());
  samples.clear();
  for (let i = 0; i < RUNS; i++) {
    await time('spawn-noop', () => run(['/bin/true']));
    if (!IN_PROCESS_ONLY) {
      await time('spawn-node-e0', () => run([process.execPath, '-e', '0']));
      await launcherProcess(launcher);
    }
    await launcherInProcess();
    await activityPieces();
    for (const [name, activities] of Object.entries(modes)) {
      await time(name, () => new MockActivityEnvironment(undefined, quiet).run(activities.runStep, request()));
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
  };
  const load = (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`runs: ${RUNS}, load: ${load}, at ${new Date().toISOString()}`);
  console.log('| piece | median ms | p10 | p90 |');
  console.log('|---|---:|---:|---:|');
  for (const [name, xs] of samples) {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
    console.log(`| ${name} | ${median(xs).toFixed(1)} | ${q(0.1).toFixed(1)} | ${q(0.9).toFixed(1)} |`);
    if (OUT)
      appendFileSync(
        OUT,
        `${JSON.stringify({ kind: 'profile', piece: name, runs: xs.length, medianMs: median(xs), p10Ms: q(0.1), p90Ms: q(0.9), load, at: new Date().toISOString() })}\n`,
      );
  }
}

main()
  .finally(() => rmSync(base, { recursive: true, force: true }))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
