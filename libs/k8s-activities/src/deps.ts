/** What the Kubernetes executor is made from, and what its step attempts share. */
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { ArtifactStore } from '@kiln/artifacts';
import type { ClassifyTimeouts } from './classify';
import type { CleanupPolicy } from './cleanup';
import type { PodDefaults } from './pod-spec';

/** Where the activity reports what it does; defaults to Temporal's activity logger. */
export interface K8sLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
}

export interface K8sActivitiesDeps {
  /** A loaded KubeConfig (in a pod: `kc.loadFromCluster()`; elsewhere `kc.loadFromDefault()`). */
  kube: KubeConfig;
  /** Namespace the step pods run in. */
  namespace: string;
  /** The artifact store, shared with the pods (they open `store.url`). */
  store: ArtifactStore;
  /** The Kiln launcher image. */
  launcherImage: string;
  /** Everything else about step pods: launcher command, store Secret, defaults. */
  pod?: Omit<PodDefaults, 'launcherImage'>;
  /** Schedule, start and image-pull timeouts. */
  timeouts?: Partial<ClassifyTimeouts>;
  cleanup?: Partial<CleanupPolicy>;
  /** Timeout of each (non-watch) API request. Default 30 s. */
  requestTimeoutMs?: number;
  /** Heartbeat interval. Default 5 s (the workflow's heartbeat timeout is 30 s). */
  heartbeatMs?: number;
  /** Grace period of a pod deleted on cancellation. Default 30 s. */
  cancelGracePeriodSeconds?: number;
  /** Watch tuning; see `PodWatch`. */
  watch?: { timeoutSeconds?: number; inactivityMs?: number; pollMs?: number };
  /** How often a worker sweeps expired failed pods after a step. Default 60 s; 0 disables. */
  collectEveryMs?: number;
  /** The cap on the main container's output in each attempt's saved log (head and tail kept). Default 16 MiB. */
  logCapBytes?: number;
  log?: K8sLogger;
}

/** What every step attempt of one executor shares: its settings with their defaults applied, and one API client. */
export interface PodExecutor {
  deps: K8sActivitiesDeps;
  core: CoreV1Api;
  timeouts: ClassifyTimeouts;
  cleanup: CleanupPolicy;
  /** Sweeps expired failed pods, at most every `collectEveryMs`, without waiting for it. */
  collectSometimes(log: K8sLogger): void;
}
