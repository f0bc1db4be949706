/**
 * The chaos soak: `runs` concurrent runs of the mixed pipeline on the Kubernetes executor (a
 * finished run is replaced while the chaos window is open, so that many stay in flight), while
 * faults of every kind strike at random moments of the window; then every run is checked against
 * MinIO and the cluster is checked for leftover pods. Everything runs on private servers started
 * for the soak and stopped by pid at the end.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { openStore, type ArtifactStore } from '@kiln/artifacts';
import { kubernetesWorkerEnv } from '@kiln/testing';
import { injectFault, planFaults, seededRandom, type FaultKind, type InjectedFault, type PlannedFault } from './faults';
import { findLeakedPods } from './pods';
import { chaosSpec, expectedRun, type ChaosParams } from './pipeline';
import { awaitRun, paramsFor, startRun, type RunEnd } from './runs';
import { PrivateServers } from './servers';
import { verifyRun } from './verify';
import { buildWorkflowBundle, ChaosWorker } from './worker';

export interface SoakOptions {
  /** Runs in flight at once while the chaos window is open (finished ones are replaced during its first two thirds). */
  runs: number;
  /** Length of the chaos window: faults strike and finished runs are replaced within it. */
  windowMs: number;
  /** Faults of each kind, at random moments of the window. */
  faultsPerKind: number;
  /** After the window, how long runs may take to end before they count as lost. */
  settleMs: number;
  /** At most this many runs in all (bounds the replacement of finished runs). */
  maxRuns: number;
  seed: number;
  /** Scratch folder: the private servers' state dir and the workflow bundle go below it. */
  workDir: string;
  log: (line: string) => void;
}

/** One run's outcome. */
export interface RunOutcome {
  workflowId: string;
  params: ChaosParams;
  state: string;
  problems: string[];
}

export interface SoakReport {
  seed: number;
  startedAt: string;
  durationSeconds: number;
  windowSeconds: number;
  concurrency: number;
  runs: RunOutcome[];
  faults: InjectedFault[];
  /** Planned faults that found nothing to hit (no step pod running) or came after every run ended. */
  faultsNotInjected: PlannedFault[];
  artifactsVerified: number;
  completedOutputs: number;
  leakedPods: string[];
  /** Problems outside any one run (the worker dying by itself, servers not coming back). */
  problems: string[];
}

/** Survived = every check of the run held. */
export const survived = (r: RunOutcome) => r.problems.length === 0;

interface Rig {
  servers: PrivateServers;
  worker: ChaosWorker;
  store: ArtifactStore;
  client: Client;
  connection: Connection;
  taskQueue: string;
  namespace: string;
  core: CoreV1Api;
  secret: string;
}

async function startRig(o: SoakOptions): Promise<Rig> {
  mkdirSync(o.workDir, { recursive: true });
  const bundle = join(o.workDir, 'kiln-workflows.js');
  o.log(`starting private servers in ${join(o.workDir, 'testenv')} and building the workflow bundle`);
  const [servers] = await Promise.all([PrivateServers.start(join(o.workDir, 'testenv')), buildWorkflowBundle(bundle)]);
  const env = servers.env;
  const namespace = env.kubernetes.namespace;
  const suffix = randomUUID().slice(0, 8);
  const taskQueue = `kiln-chaos-${suffix}`;
  const storeUrl = `s3://${env.minio.bucket}/chaos-${suffix}`;
  const secret = `kiln-chaos-store-${suffix}`;
  const s3 = { endpoint: env.minio.endpoint, accessKey: env.minio.accessKey, secretKey: env.minio.secretKey };
  const kc = new KubeConfig();
  kc.loadFromFile(env.kubernetes.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespacedSecret({
    namespace,
    body: {
      metadata: { name: secret },
      stringData: { KILN_S3_ENDPOINT: s3.endpoint, KILN_S3_ACCESS_KEY: s3.accessKey, KILN_S3_SECRET_KEY: s3.secretKey },
    },
  });
  const worker = new ChaosWorker({
    ...kubernetesWorkerEnv({
      servers: env,
      taskQueue,
      storeUrl,
      namespace,
      storeSecret: secret,
      launcherImage: 'ghcr.io/kiln-dev/kiln-launcher:chaos',
    }),
    KILN_WORKFLOW_BUNDLE: bundle,
    // One step pod per run at a time on average: the test node runs every container as host processes on a shared machine.
    KILN_MAX_CONCURRENT_ACTIVITIES: String(o.runs),
  });
  o.log(`starting the worker (task queue ${taskQueue}, store ${storeUrl})`);
  await worker.start();
  const connection = await Connection.connect({ address: env.temporal.address });
  const client = new Client({ connection, namespace: env.temporal.namespace });
  return {
    servers,
    worker,
    store: openStore(storeUrl, { s3 }),
    client,
    connection,
    taskQueue,
    namespace,
    core,
    secret,
  };
}

/**
 * Runs the soak end to end and returns what it saw; never throws for a failed check (those are in
 * the report), only when the rig itself cannot be set up.
 *
 * @example
 * ```ts
 * const report = await runSoak({ runs: 24, windowMs: 300_000, faultsPerKind: 3, settleMs: 240_000, maxRuns: 96, seed: 1, workDir: '/tmp/chaos', log: console.error });
 * console.log(report.runs.filter(survived).length, report.faults.length);
 * ```
 */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const startedAt = new Date();
  let rig: Rig | undefined;
  try {
    rig = await startRig(o);
    return await soakOn(rig, o, startedAt);
  } finally {
    await stopRig(rig, o);
  }
}

async function stopRig(rig: Rig | undefined, o: SoakOptions): Promise<void> {
  await rig?.worker.stop().catch((error: unknown) => o.log(`stopping the worker: ${String(error)}`));
  await rig?.connection.close().catch(() => undefined);
  o.log('stopping the private servers');
  await PrivateServers.stopDir(join(o.workDir, 'testenv')).catch((error: unknown) => o.log(String(error)));
}

interface Tracked {
  workflowId: string;
  params: ChaosParams;
  end: Promise<RunEnd>;
}

async function soakOn(rig: Rig, o: SoakOptions, startedAt: Date): Promise<SoakReport> {
  const random = seededRandom(o.seed);
  const spec = chaosSpec();
  const windowStart = Date.now();
  const windowEnd = windowStart + o.windowMs;
  const deadline = windowEnd + o.settleMs;
  // A fault that found nothing to hit (no step pod running on a loaded machine) may try again for a
  // third of the settle time after the window; runs are still replaced until then so it meets some.
  const faultsUntil = windowEnd + o.settleMs / 3;
  const runs: Tracked[] = [];
  const settled = new Set<number>();
  const problems: string[] = [];
  const options = { executor: 'kubernetes' as const, cache: false, heartbeatTimeoutSeconds: 10 };
  const launch = () => {
    const index = runs.length;
    const params = paramsFor(index, random);
    const workflowId = `chaos-${o.seed}-${index}-${randomUUID().slice(0, 6)}`;
    const end = startRun(rig.client, { taskQueue: rig.taskQueue, spec, workflowId, params, options, deadline }).then(
      () => awaitRun(rig.client, workflowId, deadline),
      (error: unknown): RunEnd => ({ missing: `never started: ${(error as Error).message}` }),
    );
    runs.push({ workflowId, params, end });
    void end.then(() => {
      settled.add(index);
      // Replaced the moment it ends (not on a timer: between a run's end and the next tick every run may
      // have ended, and the fault loop would take that for the end of the soak).
      topUp();
    });
  };
  let faultsDone = false;
  // Runs are replaced until every planned fault has struck (a fast machine ends runs early, and every fault must
  // meet runs in flight), for at most a third of the settle time after the window; the last ones started still end
  // within the settle time.
  const replacing = () => runs.length < o.maxRuns && !faultsDone && Date.now() < faultsUntil;
  const topUp = () => {
    if (!replacing()) return;
    for (let n = runs.length - settled.size; n < o.runs && runs.length < o.maxRuns; n++) launch();
  };
  for (let i = 0; i < o.runs; i++) launch();
  o.log(`${o.runs} runs started; chaos window of ${o.windowMs / 1000} s`);
  const watchdog = watchWorker(rig.worker, problems);
  const plan = planFaults(random, o.faultsPerKind, Math.min(10_000, o.windowMs / 10), o.windowMs);
  const { faults, notInjected } = await runFaults(rig, o, plan, {
    windowStart,
    faultsUntil,
    random,
    problems,
    // Ended for good: every run started has ended and none will replace them.
    allEnded: () => settled.size === runs.length && !replacing(),
  });
  faultsDone = true;
  o.log(`chaos window over: ${faults.length} faults injected; waiting for ${runs.length - settled.size} runs to end`);
  const ends = await Promise.all(runs.map((r) => r.end));
  clearInterval(watchdog);
  return finish(rig, o, { startedAt, runs, ends, faults, notInjected, problems, windowStart });
}

/** A worker that exits without being killed is a problem; it is started again so the runs can go on. */
function watchWorker(worker: ChaosWorker, problems: string[]): ReturnType<typeof setInterval> {
  let restarting = false;
  return setInterval(() => {
    if (restarting || !worker.diedUnasked) return;
    restarting = true;
    problems.push(`the worker exited by itself:\n${worker.tail()}`);
    void worker
      .start()
      .catch((error: unknown) => problems.push(`the worker could not be started again: ${String(error)}`))
      .finally(() => (restarting = false));
  }, 2_000);
}

interface FaultWindow {
  windowStart: number;
  /** Until when a fault that found nothing to hit tries again. */
  faultsUntil: number;
  random: () => number;
  problems: string[];
  allEnded: () => boolean;
}

async function runFaults(
  rig: Rig,
  o: SoakOptions,
  plan: PlannedFault[],
  { windowStart, faultsUntil, random, problems, allEnded }: FaultWindow,
): Promise<{ faults: InjectedFault[]; notInjected: PlannedFault[] }> {
  const faults: InjectedFault[] = [];
  const notInjected: PlannedFault[] = [];
  const targets = { servers: rig.servers, worker: rig.worker, namespace: rig.namespace, random };
  for (const planned of plan) {
    while (Date.now() < windowStart + planned.atMs && !allEnded()) await new Promise((r) => setTimeout(r, 250));
    if (allEnded()) {
      notInjected.push(planned);
      o.log(`${planned.kind} (planned at t+${planned.atMs / 1000}s): every run had ended (maxRuns reached?); skipped`);
      continue;
    }
    let atSeconds = Math.round((Date.now() - windowStart) / 100) / 10;
    const inject = () =>
      injectFault(planned.kind, targets).catch((error: unknown) => {
        problems.push(`${planned.kind} at t+${atSeconds}s failed: ${(error as Error).message}`);
        return null;
      });
    let detail = await inject();
    // No step pod running at that moment: try again each second while the window lasts.
    while (detail === undefined && Date.now() < faultsUntil && !allEnded()) {
      await new Promise((r) => setTimeout(r, 1_000));
      atSeconds = Math.round((Date.now() - windowStart) / 100) / 10;
      detail = await inject();
    }
    // A worker that could not be started again must not leave the runs without one.
    if (!rig.worker.running) await rig.worker.start().catch((error: unknown) => problems.push(String(error)));
    if (detail === null) continue;
    if (detail === undefined) {
      notInjected.push(planned);
      o.log(`t+${atSeconds}s ${planned.kind}: no step pod was running; skipped`);
      continue;
    }
    faults.push({ kind: planned.kind, atSeconds, detail });
    o.log(`t+${atSeconds}s ${planned.kind}: ${detail}`);
  }
  return { faults, notInjected };
}

async function finish(
  rig: Rig,
  o: SoakOptions,
  s: {
    startedAt: Date;
    runs: Tracked[];
    ends: RunEnd[];
    faults: InjectedFault[];
    notInjected: PlannedFault[];
    problems: string[];
    windowStart: number;
  },
): Promise<SoakReport> {
  o.log(`all ${s.runs.length} runs ended; checking them against MinIO`);
  let artifactsVerified = 0;
  let completedOutputs = 0;
  const outcomes: RunOutcome[] = [];
  const docs = [];
  for (const [i, run] of s.runs.entries()) {
    const end = s.ends[i] as RunEnd;
    if ('missing' in end) {
      outcomes.push({
        workflowId: run.workflowId,
        params: run.params,
        state: 'LOST',
        problems: [`lost: ${end.missing}`],
      });
      continue;
    }
    docs.push(end.doc);
    const verdict = await verifyRun(rig.store, end.doc, expectedRun(run.params));
    artifactsVerified += verdict.artifactsVerified;
    completedOutputs += verdict.completedOutputs;
    outcomes.push({ workflowId: run.workflowId, params: run.params, state: end.doc.state, problems: verdict.problems });
  }
  const byState = (state: string) => outcomes.filter((r) => r.state === state).length;
  o.log(
    `${outcomes.length} runs: ${byState('SUCCEEDED')} SUCCEEDED, ${byState('FAILED')} FAILED, ${byState('LOST')} lost; ` +
      `${outcomes.filter(survived).length} passed every check; ${artifactsVerified} artifacts digest-verified`,
  );
  o.log('checking the cluster for leftover pods');
  const leakedPods = await findLeakedPods(rig.core, rig.namespace, docs, 90_000);
  await rig.core.deleteNamespacedSecret({ namespace: rig.namespace, name: rig.secret }).catch(() => undefined);
  return {
    seed: o.seed,
    startedAt: s.startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - s.startedAt.getTime()) / 1000),
    windowSeconds: o.windowMs / 1000,
    concurrency: o.runs,
    runs: outcomes,
    faults: s.faults,
    faultsNotInjected: s.notInjected,
    artifactsVerified,
    completedOutputs,
    leakedPods,
    problems: s.problems,
  };
}

/** Faults injected per kind, every kind listed. */
export function faultCounts(faults: readonly InjectedFault[]): Record<FaultKind, number> {
  const counts: Record<FaultKind, number> = {
    'worker-kill': 0,
    'temporal-restart': 0,
    'minio-restart': 0,
    'apiserver-restart': 0,
    'pod-delete': 0,
  };
  for (const f of faults) counts[f.kind]++;
  return counts;
}
