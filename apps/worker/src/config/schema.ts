/**
 * The worker's settings: what it connects to, which executor runs steps, and
 * how much it does at once. Every setting has an environment variable; all of
 * them may also sit in the file named by `KILN_CONFIG` (nested, same paths),
 * except S3 credentials, which come from the environment only (`KILN_S3_*`,
 * read by the artifact store itself) so they never land in a config file,
 * a log line or a workflow's history.
 */
import { z } from 'zod';
import { boolean, integer, logLevel, storeUrl, temporalSchema, temporalSources, text } from '@kiln/config';
import type { SettingSource } from '@kiln/config';

const commandMessage = 'expected a non-empty JSON array of strings, e.g. ["kiln-pod-launcher"]';

/**
 * An argv: a list in a file, a JSON array in the environment (a command line
 * split on spaces would break paths and arguments that hold spaces).
 */
const command = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  },
  z.array(text, { error: commandMessage }).min(1, { error: commandMessage }),
);

const pathListMessage = 'expected absolute folder paths separated by ":" (a list in a config file)';

/** Folders: a list in a file, `:`-separated in the environment (as PATH). Each must be absolute. */
const folderList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(':').filter((part) => part !== '') : value),
  // Checked on the whole list, so an error names the setting (KILN_IMPORT_ROOTS), not an index in it.
  z.array(text, { error: pathListMessage }).refine((paths) => paths.every((path) => path.startsWith('/')), {
    error: pathListMessage,
  }),
);

export const workerConfigSchema = z
  .strictObject({
    temporal: temporalSchema.default(() => temporalSchema.parse({})),
    executor: z.enum(['local', 'kubernetes'], { error: 'expected local or kubernetes' }).default('local'),
    store: z.strictObject({ url: storeUrl.optional() }).default({}),
    kubernetes: z
      .strictObject({
        namespace: text.default('default'),
        /** kubeconfig file; unset = `$KUBECONFIG`, then `~/.kube/config`, then in-cluster (client-node's `loadFromDefault`). */
        kubeconfig: text.optional(),
        launcherImage: text.optional(),
        /**
         * How the launcher containers start the in-pod launcher; default
         * `["kiln-pod-launcher"]` (the launcher image's entry). For clusters
         * whose nodes run something else, such as the test node agent, which
         * runs containers as host processes and ignores images.
         */
        launcherCommand: command.optional(),
        /**
         * How the launcher containers start the static launcher (apps/static-launcher) for steps that move
         * no artifacts, or `off`. Default `["kiln-static-launcher"]` (in the launcher image) when
         * `launcherCommand` is the default too, otherwise `off`.
         */
        staticLauncherCommand: z.union([z.literal('off'), command]).optional(),
        /** One launcher process per pod (default), or the earlier init container plus sidecar. */
        launcherLayout: z
          .enum(['one-process', 'init-and-sidecar'], { error: 'expected one-process or init-and-sidecar' })
          .optional(),
        serviceAccount: text.optional(),
        /** Secret whose keys become the launcher containers' env (store credentials). */
        storeSecret: text.optional(),
        failedPodTtlSeconds: integer(0, 30 * 24 * 3600).default(24 * 3600),
        deleteSucceededPods: boolean.default(true),
      })
      .default(() => ({ namespace: 'default', failedPodTtlSeconds: 24 * 3600, deleteSucceededPods: true })),
    concurrency: z
      .strictObject({
        /** Default depends on the executor; see `defaultActivityConcurrency`. */
        maxConcurrentActivityTaskExecutions: integer(1, 10_000).optional(),
        maxCachedWorkflows: integer(0, 100_000).default(200),
        /**
         * Eager activity dispatch (see `createKilnWorker`'s `eagerActivities`). Default true. An activity lost
         * under load (tools/bench/results/api-load.md) was first blamed on it, then seen without it too.
         */
        eagerActivities: boolean.default(true),
      })
      .default({ maxCachedWorkflows: 200, eagerActivities: true }),
    local: z
      .strictObject({
        workRoot: text.optional(),
        /**
         * Run steps whose executor is `local` as processes inside this worker. Default: yes on a
         * local worker, no on a Kubernetes worker, where such a step would run in the worker's
         * container with its ServiceAccount token and store credentials.
         */
        allowSteps: boolean.optional(),
        /**
         * Start local steps' commands from one small helper process rather than from the worker, whose
         * fork costs 15–25 ms of its event loop per step at ~400 MiB resident. Default true.
         */
        spawnHelper: boolean.default(true),
      })
      .default({ spawnHelper: true }),
    /**
     * Folders a `file:` importer may read outside the artifact store (links resolved). Default
     * none: an importer's URI comes from the pipeline, and what it imports any viewer can download.
     */
    importRoots: folderList.default([]),
    /** The cap on a step command's output in each attempt's log (head and tail kept). Default 16 MiB. */
    stepLogCapBytes: integer(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
    metrics: z
      .strictObject({
        /** Kiln and process metrics on `/metrics`; 0 = off. */
        port: integer(0, 65535).default(9464),
        host: text.default('0.0.0.0'),
        /** Temporal Core's own Prometheus exporter (worker internals); unset = off. Process-wide. */
        temporalPort: integer(1, 65535).optional(),
      })
      .default({ port: 9464, host: '0.0.0.0' }),
    log: z.strictObject({ level: logLevel.default('info') }).default({ level: 'info' }),
    /** A prebuilt workflow bundle (`apps/worker/src/build-bundle.ts`); unset = bundle at start. */
    workflowBundle: text.optional(),
    /** Stack traces in the workflow sandbox (see `createKilnWorker`'s `workflowStackTraces`). Default false. */
    workflowStackTraces: boolean.default(false),
  })
  .refine((c) => c.executor !== 'local' || c.local.allowSteps !== false, {
    error: 'false leaves a KILN_EXECUTOR=local worker no step it may run; it only applies to kubernetes workers',
    path: ['local', 'allowSteps'],
  })
  .refine((c) => c.executor !== 'kubernetes' || c.kubernetes.launcherImage !== undefined, {
    error: 'required with KILN_EXECUTOR=kubernetes',
    path: ['kubernetes', 'launcherImage'],
  });

/** The validated settings, with the store URL defaulted from the same environment (`defaultStoreUrl`). */
export type WorkerConfig = Omit<z.output<typeof workerConfigSchema>, 'store' | 'concurrency'> & {
  store: { url: string };
  concurrency: { maxConcurrentActivityTaskExecutions: number; maxCachedWorkflows: number; eagerActivities: boolean };
};

/** Environment variable of every worker setting. */
export const workerSettingSources: readonly SettingSource[] = [
  ...temporalSources,
  { path: 'executor', env: 'KILN_EXECUTOR' },
  { path: 'store.url', env: 'KILN_ARTIFACTS' },
  { path: 'kubernetes.namespace', env: 'KILN_K8S_NAMESPACE' },
  { path: 'kubernetes.kubeconfig', env: 'KILN_KUBECONFIG' },
  { path: 'kubernetes.launcherImage', env: 'KILN_K8S_LAUNCHER_IMAGE' },
  { path: 'kubernetes.launcherCommand', env: 'KILN_K8S_LAUNCHER_COMMAND' },
  { path: 'kubernetes.staticLauncherCommand', env: 'KILN_K8S_STATIC_LAUNCHER_COMMAND' },
  { path: 'kubernetes.launcherLayout', env: 'KILN_K8S_LAUNCHER_LAYOUT' },
  { path: 'kubernetes.serviceAccount', env: 'KILN_K8S_SERVICE_ACCOUNT' },
  { path: 'kubernetes.storeSecret', env: 'KILN_K8S_STORE_SECRET' },
  { path: 'kubernetes.failedPodTtlSeconds', env: 'KILN_K8S_FAILED_POD_TTL_SECONDS' },
  { path: 'kubernetes.deleteSucceededPods', env: 'KILN_K8S_DELETE_SUCCEEDED_PODS' },
  { path: 'concurrency.maxConcurrentActivityTaskExecutions', env: 'KILN_MAX_CONCURRENT_ACTIVITIES' },
  { path: 'concurrency.maxCachedWorkflows', env: 'KILN_MAX_CACHED_WORKFLOWS' },
  { path: 'concurrency.eagerActivities', env: 'KILN_EAGER_ACTIVITIES' },
  { path: 'local.workRoot', env: 'KILN_WORK_ROOT' },
  { path: 'local.allowSteps', env: 'KILN_LOCAL_STEPS' },
  { path: 'local.spawnHelper', env: 'KILN_LOCAL_SPAWN_HELPER' },
  { path: 'importRoots', env: 'KILN_IMPORT_ROOTS' },
  { path: 'stepLogCapBytes', env: 'KILN_STEP_LOG_CAP_BYTES' },
  { path: 'metrics.port', env: 'KILN_METRICS_PORT' },
  { path: 'metrics.host', env: 'KILN_METRICS_HOST' },
  { path: 'metrics.temporalPort', env: 'KILN_TEMPORAL_METRICS_PORT' },
  { path: 'log.level', env: 'KILN_LOG_LEVEL' },
  { path: 'workflowBundle', env: 'KILN_WORKFLOW_BUNDLE' },
  { path: 'workflowStackTraces', env: 'KILN_WORKFLOW_STACK_TRACES' },
  // Read by the S3 store from the environment; listed so a config file that holds them is refused.
  { path: 'store.accessKey', env: 'KILN_S3_ACCESS_KEY', secret: true, envOnly: true },
  { path: 'store.secretKey', env: 'KILN_S3_SECRET_KEY', secret: true, envOnly: true },
];
