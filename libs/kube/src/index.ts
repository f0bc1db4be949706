/**
 * `@kiln/kube`: the Kubernetes API plumbing Kiln stands on, apart from any
 * executor, so the HTTP API can follow a step's pod log without loading the
 * Kubernetes executor:
 *
 * - {@link makeCoreApi}: a CoreV1 client with a timeout on every request;
 * - {@link withApiRetry}, {@link isTransient}, {@link statusOf}: which API errors
 *   are worth another try (429, 5xx, dropped connections), and the loop that
 *   tries again (checklist item 11 of shared/DESIGN.md §5);
 * - {@link readContainerLog}, {@link followContainerLog}, {@link tailOf}: one
 *   container's log, read or followed until the container is done;
 * - {@link podIdentity}: the deterministic name, labels and annotations of a
 *   step attempt's pod, and the names of its containers ({@link containerNames}).
 *
 * @example
 * ```ts
 * import { KubeConfig } from '@kubernetes/client-node';
 * import { followContainerLog, makeCoreApi, podIdentity } from '@kiln/kube';
 *
 * const kc = new KubeConfig();
 * kc.loadFromDefault();
 * const core = makeCoreApi(kc, 30_000);
 * const { name } = podIdentity(request); // the pod of this step attempt
 * await followContainerLog({ kc, core, namespace: 'ml', name, out: process.stdout });
 * ```
 *
 * @packageDocumentation
 */
export { makeCoreApi } from './api-client';
export { withApiRetry, isTransient, statusOf, sleep, type ApiRetryOptions, type TransientVerdict } from './api-retry';
export { followContainerLog, readContainerLog, tailOf, type FollowOptions } from './container-log';
export {
  podIdentity,
  isSamePod,
  labelValue,
  labelKeys,
  annotationKeys,
  managedByKiln,
  containerNames,
  type PodIdentity,
  type StepIdentityInput,
} from './pod-name';
