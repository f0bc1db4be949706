/**
 * The Kubernetes executor: one pod per task attempt, watched durably, logs
 * saved, pods cleaned up. It implements `runStep` of the engine's
 * `KilnActivities` to the pod checklist in shared/DESIGN.md §5 (the Kubernetes
 * API plumbing it stands on — client, retries, container logs, pod names — is
 * `@kiln/kube`):
 *
 * 1. Deterministic pod names per (run, task, iteration, attempt) with a hash
 *    suffix; 409 AlreadyExists adopts the pod after checking its identity
 *    label and execution key (`podIdentity` of `@kiln/kube`, {@link attachPod}).
 * 2. Heartbeat `{namespace, name, uid, resourceVersion}` right after create;
 *    a retried activity reattaches from `heartbeatDetails`.
 * 3. List, then watch from the list's resourceVersion; relist on 410 Gone;
 *    `timeoutSeconds` on every watch, an inactivity watchdog and a periodic GET
 *    ({@link PodWatch}).
 * 4. Heartbeats on a timer, not on watch events.
 * 5. Separate schedule and start timeouts; image pull errors tolerated for a
 *    grace window; `InvalidImageName` fails at once ({@link PodAssessor}).
 * 6. Classification from container states: exit code, OOMKilled (user),
 *    Evicted / DisruptionTarget / lost node / deleted pod (infrastructure),
 *    DeadlineExceeded — with reason, exit code, message and log tail.
 * 7. Cancellation deletes the pod with a grace period; worker shutdown leaves
 *    it running for the next try to reattach.
 * 8. `activeDeadlineSeconds` from the step timeout.
 * 9. Logs saved to the store before deletion ({@link savePodLogs}) and
 *    streamable while running (`followContainerLog` of `@kiln/kube`).
 * 10. Succeeded pods deleted, failed pods kept for a TTL
 *     ({@link collectFinishedPods}); 404 on delete is success.
 * 11. Only transient API errors are retried (`withApiRetry` of `@kiln/kube`).
 * 12. Resources (incl. GPUs), accelerators, node selectors, tolerations,
 *     affinity, secrets and config maps, volumes, service account, image pull
 *     policy and secrets, security context pass through from the IR
 *     ({@link buildPod}).
 *
 * The pod: one launcher process, the native sidecar `kiln-launcher`
 * (launcher image), fills an emptyDir with the inputs, marks the work folder
 * ready, then uploads the outputs and writes the executor-output record once
 * main is done; container `main` (the user's image, which needs only /bin/sh)
 * starts beside it, waits for the ready file, runs the resolved command and
 * records its exit code. (`pod.launcherLayout: 'init-and-sidecar'` splits the
 * launcher into a `kiln-fetch` init container and a `kiln-publish` sidecar.)
 * Artifact bytes never pass through the worker; store credentials reach the
 * launcher containers from a Secret (`pod.storeSecret`), never the pod spec or
 * Temporal history. The in-pod program is `src/in-pod/cli.ts`
 * (`kiln-pod-launcher launch|fetch|publish`), built from `@kiln/launcher`'s
 * phases and shipped as two esbuild bundles, each started through V8's code
 * cache: a light one every pod starts (a small store client for the request
 * and the records) and a heavy one (the full store, input fetch, uploads)
 * loaded only by a step with artifacts ({@link buildPodLauncherBundle};
 * {@link podLauncherBundleCommand} for nodes that run containers as host
 * processes, like the test cluster's).
 *
 * Python components run too: the fetch phase writes the function's source,
 * the shim spec and the shim itself into the work folder, and main runs
 * `python3 -u /kiln/work/kiln_shim.py …` on the user's image (which then needs
 * python3). Packages are installed by the shim into a virtualenv in the
 * emptyDir that sees the image's own site-packages, so what the image already
 * has is not installed again; a failed install is an infrastructure failure
 * (`PipInstallFailed`). Metrics and other outputs are published by the sidecar.
 *
 * Failed pods are kept for `cleanup.failedPodTtlSeconds`, or for the step's
 * own `podTtlSeconds` when it sets one (annotation `kiln.dev/failed-pod-ttl-seconds`).
 *
 * @example
 * ```ts
 * import { KubeConfig } from '@kubernetes/client-node';
 * import { Worker } from '@temporalio/worker';
 * import { openStore } from '@kiln/artifacts';
 * import { createStoreActivities } from '@kiln/store-activities';
 * import { createK8sActivities } from '@kiln/k8s-activities';
 *
 * const kube = new KubeConfig();
 * kube.loadFromDefault();
 * const store = openStore(process.env.KILN_ARTIFACTS!);
 * const worker = await Worker.create({
 *   taskQueue: 'kiln',
 *   workflowBundle,
 *   activities: {
 *     ...createStoreActivities({ store }), // cache, run records, importer
 *     ...createK8sActivities({
 *       kube, namespace: 'ml', store,
 *       launcherImage: 'ghcr.io/kiln/launcher:0.1.0',
 *       pod: { storeSecret: 'kiln-store', imagePullSecrets: ['regcred'] },
 *       timeouts: { scheduleTimeoutMs: 5 * 60_000, imagePullGraceMs: 2 * 60_000 },
 *       cleanup: { failedPodTtlSeconds: 3 * 24 * 3600 },
 *     }),
 *   },
 * });
 * ```
 *
 * @packageDocumentation
 */
export { createK8sActivities, type K8sActivitiesDeps, type K8sLogger } from './activities';
export { toLaunchRequest } from '@kiln/launcher';
export { buildPod, resolveMainCommand, type PodDefaults, type PodBuildInput } from './pod-spec';
export { isValidImageReference } from './image-ref';
export { attachPod, parseHeartbeat, PodNameConflictError, type PodHeartbeat, type AttachHow } from './pod-create';
export { PodWatch, type PodWatchOptions } from './pod-watch';
export {
  PodAssessor,
  defaultTimeouts,
  timeMs,
  type ClassifyTimeouts,
  type PodFailure,
  type PodVerdict,
} from './classify';
export { savePodLogs, type SavedLogs } from './save-logs';
export { deletePod, collectFinishedPods, finishedAtMs, defaultCleanupPolicy, type CleanupPolicy } from './cleanup';
export { exitCodeFile, kilnMountPath, mainWrapper, podWorkDir } from './in-pod/layout';
export { buildPodLauncherBundle, podLauncherBundleCommand } from './in-pod/bundle';
export { staticLauncherHostCommand, staticLauncherSourceDir } from './in-pod/static-build';
export {
  staticLaunchPlan,
  staticExecutorOutput,
  readStaticLauncherLog,
  staticPlanEnv,
  maxStaticPlanBytes,
  maxStaticParamBytes,
  type StaticLaunchPlan,
  type StaticLaunchResult,
} from './static-launcher';
