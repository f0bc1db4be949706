/**
 * Pod-path benchmark (issues 5 and 14): what Kiln's Kubernetes executor costs per step
 * on top of the floor of running the same number of pods by hand.
 *
 *   node --import tsx tools/bench/pods/bench.ts [--runs 5] [--chain 20]
 *        [--variants floor,two-process,one-process,one-process-cache-eager,one-process-cache]
 *                                               [--out tools/bench/results/pods.jsonl]
 *
 * Against tools/testenv's shared servers (Temporal dev server, MinIO, kube-apiserver + node agent),
 * per repetition, interleaved (the order rotates each repetition):
 *   floor              floor.ts: N one-container pods (`/bin/true`) in sequence: create, watch until
 *                      Succeeded, delete; straight @kubernetes/client-node calls.
 *   temporal-floor     the same pods, one Temporal activity each, from a minimal hand-written workflow
 *                      (temporal-floor-workflow.ts) on a plain worker in this process: what running steps
 *                      as Temporal activities costs any engine.
 *   kiln variants      a chain of N `/bin/true` container steps (chain.ts) started with `startPipelineRun`
 *                      (executor kubernetes, cache off), each on its own Kiln worker process (apps/worker,
 *                      KILN_EXECUTOR=kubernetes, artifacts in MinIO, store credentials from a Secret) and task queue,
 *                      differing only in how the pod runs the launcher (see `kilnVariants`).
 * wall = start → last pod done (floor) / start → run result (kiln). A passive namespace watch in this
 * process (timeline.ts) times every pod's stages for every variant.
 *
 * One JSON line per measurement on stdout and in --out.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Client, Connection } from '@temporalio/client';
import { openStore } from '@kiln/artifacts';
import { type RunStatusDocument } from '@kiln/engine-contract';
import { startPipelineRun } from '@kiln/engine-client';
import { getTestEnvironment } from '@kiln/testenv';
import { podLauncherBundleCommand, staticLauncherHostCommand } from '@kiln/k8s-activities';
import { kubernetesWorkerEnv, startWorkerProcess, type WorkerProcess } from '@kiln/testing';
import { chainSpec } from './chain';
import { runFloorChain } from './floor';
import { startTemporalFloorWorker } from './temporal-floor';
import { PodTimeline, type PodTimes } from './timeline';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const args = parseArgs(process.argv.slice(2));
const RUNS = Number(args['runs'] ?? 5);
const CHAIN = Number(args['chain'] ?? 20);
const OUT = args['out'] ?? join(root, 'tools/bench/results/pods.jsonl');
const IMAGE = 'alpine:3.20';

/** The Kiln variants: the pod layout and how the launcher starts (the worker's KILN_K8S_LAUNCHER_* settings). */
const kilnVariants = {
  /** The layout before issue 14: a `kiln-fetch` init container and a `kiln-publish` sidecar, each an ES-module bundle. */
  'two-process': { layout: 'init-and-sidecar', codeCache: false, light: false, static: false },
  /** One `kiln-launcher` sidecar (fetch, then publish) per pod, the same ES-module bundle. */
  'one-process': { layout: 'one-process', codeCache: false, light: false, static: false },
  /** One launcher process per pod, the one eager bundle (everything loaded at start) through V8's code cache. */
  'one-process-cache-eager': { layout: 'one-process', codeCache: true, light: false, static: false },
  /**
   * One launcher process per pod, the light bundle through V8's code cache, its heavy half loaded only by a step
   * with artifacts (the default before the static launcher).
   */
  'one-process-cache': { layout: 'one-process', codeCache: true, light: true, static: false },
  /**
   * As `one-process-cache`, but a step without artifacts (every step of this chain) runs the static launcher
   * (apps/static-launcher, Go) with the plan the worker resolved (the default, as the launcher image ships it).
   */
  'one-process-static': { layout: 'one-process', codeCache: true, light: true, static: true },
} as const;
type KilnVariant = keyof typeof kilnVariants;
/** The references Kiln is measured against, run in this process. */
const floorVariants = ['floor', 'temporal-floor'];
const VARIANTS = (args['variants'] ?? [...floorVariants, ...Object.keys(kilnVariants)].join(',')).split(',');
for (const v of VARIANTS)
  if (!floorVariants.includes(v) && !(v in kilnVariants))
    throw new Error(
      `--variants: unknown variant ${v} (${[...floorVariants, ...Object.keys(kilnVariants)].join(', ')})`,
    );

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--')) out[a.slice(2)] = argv[++i] ?? '';
  }
  return out;
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

function emit(record: Record<string, unknown>): void {
  const line = JSON.stringify({ ...record, at: new Date().toISOString(), load: loadavg() });
  console.log(line);
  appendFileSync(OUT, `${line}\n`);
}

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const round = (x: number) => Math.round(x * 10) / 10;

/** Waits (briefly) until the timeline has seen `ready` for every named pod. */
async function timesOf(timeline: PodTimeline, names: string[], ready: (t: PodTimes) => boolean): Promise<PodTimes[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const times = names.map((n) => timeline.pods.get(n));
    if (times.every((t) => t && ready(t))) return times as PodTimes[];
    if (Date.now() > deadline)
      throw new Error(
        `the namespace watch missed stages of ${names.filter((_, i) => !times[i] || !ready(times[i] as PodTimes)).join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Medians over the steps of one run, ms. `gap` = a pod Succeeded → the next pod appears. */
function stages(times: PodTimes[], startedAt: number, endedAt: number) {
  const gaps = times.slice(1).map((t, i) => t.addedAt - (times[i]?.succeededAt ?? NaN));
  return {
    startToFirstPodMs: round((times[0]?.addedAt ?? NaN) - startedAt),
    lastPodToEndMs: round(endedAt - (times[times.length - 1]?.succeededAt ?? NaN)),
    podMs: round(median(times.map((t) => (t.succeededAt ?? NaN) - t.addedAt))),
    createdToMainDoneMs: round(median(times.map((t) => (t.mainDoneAt ?? NaN) - t.addedAt))),
    createdToFetchDoneMs: round(median(times.map((t) => (t.fetchDoneAt ?? NaN) - t.addedAt))),
    fetchDoneToMainDoneMs: round(median(times.map((t) => (t.mainDoneAt ?? NaN) - (t.fetchDoneAt ?? NaN)))),
    mainDoneToSucceededMs: round(median(times.map((t) => (t.succeededAt ?? NaN) - (t.mainDoneAt ?? NaN)))),
    betweenPodsMs: round(median(gaps)),
  };
}

/** What one bench run sets up and must clean up: the servers, names of its own, the pods it watches. */
interface Bench {
  servers: ReturnType<typeof getTestEnvironment>;
  namespace: string;
  suffix: string;
  taskQueue: string;
  storeUrl: string;
  secret: string;
  s3: { endpoint: string; accessKey: string; secretKey: string };
  kc: KubeConfig;
  core: CoreV1Api;
  timeline: PodTimeline;
  workers: Map<KilnVariant, { worker: WorkerProcess; taskQueue: string }>;
  floorPrefixes: string[];
  kilnRuns: string[];
  connection?: Connection;
  temporalFloor?: { stop: () => Promise<void>; taskQueue: string };
}

/** Names of this run, the API client, the results file's first line, the store Secret and the pod watch. */
async function setUp(): Promise<Bench> {
  const servers = getTestEnvironment(['temporal', 'minio', 'kubernetes']);
  const namespace = servers.kubernetes.namespace;
  const suffix = `${process.pid}-${Date.now().toString(36)}`;
  const storeUrl = `s3://${servers.minio.bucket}/bench-pods-${suffix}`;
  const s3 = {
    endpoint: servers.minio.endpoint,
    accessKey: servers.minio.accessKey,
    secretKey: servers.minio.secretKey,
  };
  const kc = new KubeConfig();
  kc.loadFromFile(servers.kubernetes.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);

  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, '');
  emit({
    kind: 'start',
    runs: RUNS,
    chain: CHAIN,
    temporal: servers.temporal.address,
    kubernetes: servers.kubernetes.kubeconfig,
    store: storeUrl,
    launcher: 'bundle',
    variants: VARIANTS,
  });

  const secret = `kiln-bench-pods-store-${suffix}`;
  await core.createNamespacedSecret({
    namespace,
    body: {
      metadata: { name: secret },
      stringData: { KILN_S3_ENDPOINT: s3.endpoint, KILN_S3_ACCESS_KEY: s3.accessKey, KILN_S3_SECRET_KEY: s3.secretKey },
    },
  });
  const timeline = new PodTimeline(kc, namespace);
  timeline.start();
  return {
    servers,
    namespace,
    suffix,
    taskQueue: `kiln-bench-pods-${suffix}`,
    storeUrl,
    secret,
    s3,
    kc,
    core,
    timeline,
    workers: new Map(),
    floorPrefixes: [],
    kilnRuns: [],
  };
}

/**
 * The Kiln worker as users run it: apps/worker/src/main.ts configured by environment, one per variant.
 * The launcher containers run the in-pod launcher bundle, as the launcher image does; the node agent runs it as a host process.
 */
async function startKilnWorkers(bench: Bench): Promise<void> {
  if (VARIANTS.includes('temporal-floor')) {
    const taskQueue = `${bench.taskQueue}-temporal-floor`;
    const worker = await startTemporalFloorWorker({
      address: bench.servers.temporal.address,
      namespace: bench.servers.temporal.namespace,
      taskQueue,
      kc: bench.kc,
      kubeNamespace: bench.namespace,
      image: IMAGE,
    });
    bench.temporalFloor = { ...worker, taskQueue };
  }
  for (const v of VARIANTS) {
    if (floorVariants.includes(v)) continue;
    const variant = v as KilnVariant;
    const queue = `${bench.taskQueue}-${variant}`;
    const env = {
      ...kubernetesWorkerEnv({
        servers: bench.servers,
        taskQueue: queue,
        storeUrl: bench.storeUrl,
        namespace: bench.namespace,
        storeSecret: bench.secret,
        launcherImage: 'ghcr.io/kiln-dev/kiln-launcher:bench',
      }),
      KILN_K8S_LAUNCHER_LAYOUT: kilnVariants[variant].layout,
      KILN_K8S_LAUNCHER_COMMAND: JSON.stringify(
        podLauncherBundleCommand({ codeCache: kilnVariants[variant].codeCache, light: kilnVariants[variant].light }),
      ),
      KILN_K8S_STATIC_LAUNCHER_COMMAND: kilnVariants[variant].static
        ? JSON.stringify(staticLauncherHostCommand())
        : 'off',
    };
    bench.workers.set(variant, { worker: await startWorkerProcess(env, 300_000), taskQueue: queue });
  }
}

/** One chain of `n` bare pods through client-node, timed. */
async function floorChain(bench: Bench, n: number, rep: number) {
  const prefix = `bench-floor-${bench.suffix}-${rep}-${n}`.slice(0, 50);
  bench.floorPrefixes.push(prefix);
  const t0 = performance.now();
  const names = await runFloorChain({ kc: bench.kc, namespace: bench.namespace, prefix, n, image: IMAGE });
  const wallMs = performance.now() - t0;
  const times = await timesOf(bench.timeline, names, (t) => t.succeededAt !== undefined);
  return { variant: 'floor', n, rep, wallMs: round(wallMs), ...stages(times, t0, t0 + wallMs) };
}

/** The same pods as `floorChain`, one Temporal activity each (temporal-floor-workflow.ts), timed. */
async function temporalFloorChain(bench: Bench, client: Client, n: number, rep: number) {
  const prefix = `bench-tfloor-${bench.suffix}-${rep}-${n}`.slice(0, 50);
  bench.floorPrefixes.push(prefix);
  const t0 = performance.now();
  const names = await client.workflow.execute('podChain', {
    taskQueue: bench.temporalFloor?.taskQueue ?? '',
    workflowId: prefix,
    args: [prefix, n],
  });
  const wallMs = performance.now() - t0;
  const times = await timesOf(bench.timeline, names as string[], (t) => t.succeededAt !== undefined);
  return { variant: 'temporal-floor', n, rep, wallMs: round(wallMs), ...stages(times, t0, t0 + wallMs) };
}

/** One Kiln run of an `n`-step chain on the variant's worker, timed. */
async function kilnChain(bench: Bench, client: Client, variant: KilnVariant, n: number, rep: number) {
  const t0 = performance.now();
  const handle = await startPipelineRun(client, {
    taskQueue: bench.workers.get(variant)?.taskQueue ?? bench.taskQueue,
    spec: chainSpec(n),
    options: { executor: 'kubernetes', cache: false },
  });
  bench.kilnRuns.push(handle.workflowId);
  const doc = (await handle.result()) as RunStatusDocument;
  const wallMs = performance.now() - t0;
  if (doc.state !== 'SUCCEEDED') throw new Error(`kiln run ${doc.state}: ${doc.error}`);
  const names = doc.tasks.map((t) => t.pod?.name ?? '');
  const twoProcess = kilnVariants[variant].layout === 'init-and-sidecar';
  const times = await timesOf(
    bench.timeline,
    names,
    (t) => t.succeededAt !== undefined && (!twoProcess || t.fetchDoneAt !== undefined) && t.mainDoneAt !== undefined,
  );
  return { variant: `kiln-${variant}`, n, rep, wallMs: round(wallMs), ...stages(times, t0, t0 + wallMs) };
}

/** An untimed warm-up of every variant, then RUNS repetitions with the order rotating. */
async function measure(bench: Bench): Promise<void> {
  bench.connection = await Connection.connect({ address: bench.servers.temporal.address });
  const client = new Client({ connection: bench.connection, namespace: bench.servers.temporal.namespace });
  const run = (v: string, n: number, rep: number) =>
    v === 'floor'
      ? floorChain(bench, n, rep)
      : v === 'temporal-floor'
        ? temporalFloorChain(bench, client, n, rep)
        : kilnChain(bench, client, v as KilnVariant, n, rep);
  // Warm-up (untimed): first workflow task on each worker, the launcher bundles' first start.
  for (const v of VARIANTS) await run(v, 2, 0);
  for (let rep = 1; rep <= RUNS; rep++) {
    // Rotate the order, so no variant always runs first or after the same one.
    const shift = (rep - 1) % VARIANTS.length;
    const order = [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)];
    for (const v of order) emit({ kind: 'chain', ...(await run(v, CHAIN, rep)) });
  }
  emit({ kind: 'end', watchErrors: bench.timeline.errors });
}

/** Stops the workers, ends Kiln's runs, deletes every pod, the Secret and the store objects this run made. */
async function cleanUp(bench: Bench): Promise<void> {
  const { core, namespace } = bench;
  for (const { worker } of bench.workers.values()) await worker.stop();
  await bench.temporalFloor?.stop();
  if (bench.connection) {
    const client = new Client({ connection: bench.connection, namespace: bench.servers.temporal.namespace });
    for (const id of bench.kilnRuns)
      await client.workflow
        .getHandle(id)
        .terminate('benchmark cleanup')
        .catch(() => undefined);
    await bench.connection.close();
  }
  for (const prefix of bench.floorPrefixes) {
    const left = await core.listNamespacedPod({ namespace, labelSelector: `kiln-bench/run=${prefix}` });
    for (const pod of left.items)
      await core
        .deleteNamespacedPod({ namespace, name: pod.metadata?.name ?? '', gracePeriodSeconds: 0 })
        .catch(() => undefined);
  }
  for (const times of bench.timeline.pods.values()) {
    if (bench.kilnRuns.includes(times.annotations['kiln.dev/workflow-id'] ?? '') && times.deletedAt === undefined) {
      await core.deleteNamespacedPod({ namespace, name: times.name, gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  }
  await bench.timeline.stop();
  await core.deleteNamespacedSecret({ namespace, name: bench.secret }).catch(() => undefined);
  const store = openStore(bench.storeUrl, { s3: bench.s3 });
  for await (const key of store.list('')) await store.delete(key);
}

async function main(): Promise<void> {
  const bench = await setUp();
  try {
    await startKilnWorkers(bench);
    await measure(bench);
  } finally {
    await cleanUp(bench);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
