/**
 * `runStep` for the Kubernetes executor: one pod per task attempt
 * ({@link PodAttempt}: prepare, attach, monitor, settle), watched durably,
 * heartbeating on a timer, classified from container states, its logs saved
 * before it is deleted. See the package overview (index.ts) for the checklist
 * this implements and how to wire it into a worker.
 */
import { Context } from '@temporalio/activity';
import type { StepActivities } from '@kiln/engine-contract';
import { makeCoreApi } from '@kiln/kube';
import { locateStep } from '@kiln/store-layout';
import { defaultTimeouts } from './classify';
import { collectFinishedPods, defaultCleanupPolicy } from './cleanup';
import type { K8sActivitiesDeps, K8sLogger, PodExecutor } from './deps';
import { PodAttempt } from './pod-attempt';

export type { K8sActivitiesDeps, K8sLogger } from './deps';

/**
 * The Kubernetes executor's activities. Only `runStep` runs pods; the
 * store-backed activities (cache, run records, importer) are the same for every
 * executor and come from `@kiln/store-activities`.
 *
 * @example
 * ```ts
 * const kube = new KubeConfig();
 * kube.loadFromDefault();
 * const activities = {
 *   ...createStoreActivities({ store }),                       // cache, records, importer
 *   ...createK8sActivities({ kube, namespace: 'ml', store, launcherImage: 'ghcr.io/kiln/launcher:0.1.0',
 *                            pod: { storeSecret: 'kiln-store' } }),
 * };
 * ```
 */
export function createK8sActivities(deps: K8sActivitiesDeps): StepActivities {
  const core = makeCoreApi(deps.kube, deps.requestTimeoutMs ?? 30_000);
  let lastCollect = 0;
  const executor: PodExecutor = {
    deps,
    core,
    timeouts: { ...defaultTimeouts, ...deps.timeouts },
    cleanup: { ...defaultCleanupPolicy, ...deps.cleanup },
    collectSometimes(log: K8sLogger) {
      const every = deps.collectEveryMs ?? 60_000;
      if (every <= 0 || Date.now() - lastCollect < every) return;
      lastCollect = Date.now();
      collectFinishedPods(core, deps.namespace, executor.cleanup).then(
        (names) => names.length > 0 && log.info('collected finished pods', { names }),
        (error: unknown) => log.warn('collecting finished pods failed', { error: String(error) }),
      );
    },
  };
  return {
    // The execution key and output URIs, derived from the attempt's identity (or as an older history recorded them).
    runStep: async (request) => new PodAttempt(executor, locateStep(request), Context.current()).run(),
  };
}
