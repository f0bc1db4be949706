/**
 * The activities this worker registers, chosen by `executor`: the store-backed
 * activities always (cache, run records, importer), the local executor's
 * `runStep`, plus the Kubernetes executor's `runStep` when configured. Steps are
 * dispatched by the executor each request names, so a local-only worker
 * refuses Kubernetes steps plainly, and a Kubernetes worker refuses local steps
 * and `file:` imports from its own file system (both would run inside its
 * container, with its credentials) unless `KILN_LOCAL_STEPS=true`.
 */
import { createLocalStepActivities } from '@kiln/local-executor';
import { createStoreActivities } from '@kiln/store-activities';
import type { ArtifactStore } from '@kiln/artifacts';
import { stepFailure, type KilnActivities } from '@kiln/engine-contract';
import type { Logger } from 'pino';
import type { WorkerConfig } from './config/schema';
import { ConfigError } from '@kiln/config';

/**
 * @example
 * ```ts
 * const activities = await createWorkerActivities(config, openStore(config.store.url), log);
 * ```
 */
export async function createWorkerActivities(
  config: WorkerConfig,
  store: ArtifactStore,
  log: Logger,
): Promise<KilnActivities> {
  const activityLog = {
    debug: (message: string, attrs?: Record<string, unknown>) => log.debug(attrs ?? {}, message),
    info: (message: string, attrs?: Record<string, unknown>) => log.info(attrs ?? {}, message),
    warn: (message: string, attrs?: Record<string, unknown>) => log.warn(attrs ?? {}, message),
  };
  const storeActivities = createStoreActivities({ store, importRoots: config.importRoots });
  const local = createLocalStepActivities({
    store,
    log: activityLog,
    logCapBytes: config.stepLogCapBytes,
    spawnHelper: config.local.spawnHelper,
    ...(config.local.workRoot ? { workRoot: config.local.workRoot } : {}),
  });
  if (config.executor !== 'kubernetes') {
    return {
      ...storeActivities,
      runStep: async (req) => {
        if (req.executor === 'kubernetes') {
          throw stepFailure({
            failureClass: 'configuration',
            reason: 'ExecutorUnavailable',
            message: `step ${req.summary} asks for the kubernetes executor, but this worker runs only local steps (KILN_EXECUTOR=local)`,
          });
        }
        return local.runStep(req);
      },
    };
  }
  // Loaded only when needed: the Kubernetes client is large and ESM-only.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { createK8sActivities } = await import('@kiln/k8s-activities');
  const launcherImage = config.kubernetes.launcherImage;
  if (!launcherImage)
    throw new ConfigError([{ setting: 'KILN_K8S_LAUNCHER_IMAGE', message: 'required with KILN_EXECUTOR=kubernetes' }]);
  const kube = new KubeConfig();
  if (config.kubernetes.kubeconfig) kube.loadFromFile(config.kubernetes.kubeconfig);
  else kube.loadFromDefault();
  const k8s = createK8sActivities({
    kube,
    namespace: config.kubernetes.namespace,
    store,
    launcherImage,
    logCapBytes: config.stepLogCapBytes,
    pod: {
      ...(config.kubernetes.launcherCommand ? { launcherCommand: config.kubernetes.launcherCommand } : {}),
      ...staticLauncherSetting(config.kubernetes),
      ...(config.kubernetes.launcherLayout ? { launcherLayout: config.kubernetes.launcherLayout } : {}),
      ...(config.kubernetes.storeSecret ? { storeSecret: config.kubernetes.storeSecret } : {}),
      ...(config.kubernetes.serviceAccount ? { serviceAccount: config.kubernetes.serviceAccount } : {}),
    },
    cleanup: {
      deleteSucceeded: config.kubernetes.deleteSucceededPods,
      failedPodTtlSeconds: config.kubernetes.failedPodTtlSeconds,
    },
    log: activityLog,
  });
  const allowLocalSteps = config.local.allowSteps ?? false;
  return {
    ...storeActivities,
    importArtifact: async (req) => {
      // An importer of file:///… would read this worker's own file system (its ServiceAccount
      // token, for one) into the store, where any viewer can download it.
      if (!allowLocalSteps && req.uri.startsWith('file:') && !store.owns(req.uri)) {
        throw stepFailure({
          failureClass: 'configuration',
          reason: 'ImportRefused',
          message:
            `importer ${req.taskId} asks for ${req.uri}, a file on this worker's own file system: a Kubernetes worker imports ` +
            `only from the artifact store or s3://, unless KILN_LOCAL_STEPS=true`,
        });
      }
      return storeActivities.importArtifact(req);
    },
    runStep: async (req) => {
      if (req.executor !== 'local') return k8s.runStep(req);
      if (!allowLocalSteps) {
        // The engine's default executor is `local`: a run that names none would otherwise run its
        // commands inside this worker's container, with its ServiceAccount token and store credentials.
        throw stepFailure({
          failureClass: 'configuration',
          reason: 'ExecutorUnavailable',
          message:
            `step ${req.summary} asks for the local executor, but this worker runs steps as Kubernetes pods: ` +
            `set executor 'kubernetes' in the pipeline's settings or the run's options (kiln run --executor kubernetes), ` +
            `or let this worker run local steps in its own container with KILN_LOCAL_STEPS=true`,
        });
      }
      return local.runStep(req);
    },
  };
}

/**
 * The static launcher's command: as configured, else the launcher image's `kiln-static-launcher` when the
 * launcher command is the image's default too (a custom launcher command may run where that binary is not).
 */
export function staticLauncherSetting(
  kubernetes: Pick<WorkerConfig['kubernetes'], 'launcherCommand' | 'staticLauncherCommand'>,
): { staticLauncherCommand?: string[] } {
  const configured = kubernetes.staticLauncherCommand ?? (kubernetes.launcherCommand ? 'off' : undefined);
  if (configured === 'off') return {};
  return { staticLauncherCommand: configured ?? ['kiln-static-launcher'] };
}
