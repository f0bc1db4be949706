/**
 * The pod of one step attempt, built from the located `StepRequest` alone (checklist
 * items 8 and 12). Layout (`launcherLayout`, default `'one-process'`): one native
 * sidecar (an init container with `restartPolicy: Always`) from the launcher
 * image, `kiln-launcher`, fetches inputs into a shared emptyDir, marks the work
 * folder ready, and publishes outputs once main is done; main starts with it and
 * its wrapper waits for the ready file. The main container is the user's image
 * running the resolved command under a tiny /bin/sh wrapper that records its exit
 * code (for a python component the command is `python3` running the shim the
 * fetch put in the work folder). User bytes never pass through the worker. The
 * `'init-and-sidecar'` layout splits the launcher in two processes: a
 * `kiln-publish` sidecar started first and a `kiln-fetch` init container main
 * waits for. A step the static launcher takes (`staticPlan`, static-launcher.ts)
 * has it as a regular container beside main instead, with its plan in the
 * environment and no store credentials at all; main waits in its open of the
 * alive FIFO (`mainWrapperBesideStaticLauncher`).
 *
 * Store credentials reach only the launcher containers, via `envFrom` of a
 * Secret named in the options: never inline in the pod spec, and never in the
 * `StepRequest` (which Temporal keeps in history).
 */
import type {
  V1Affinity,
  V1Container,
  V1EnvFromSource,
  V1EnvVar,
  V1Pod,
  V1PodSecurityContext,
  V1PodSpec,
  V1ResourceRequirements,
  V1SecurityContext,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import type { LegacyStepRequest, StepRequest } from '@kiln/engine-contract';
import { locateStep, type LocatedStep } from '@kiln/store-layout';
import { inputPaths, kfpMountPrefixes, resolveStepCommand, toLaunchRequest, type LaunchRequest } from '@kiln/launcher';
import { annotationKeys, containerNames, type PodIdentity } from '@kiln/kube';
import { podLayout, speaksKfp } from './in-pod/kfp-layout';
import {
  kilnMountPath,
  kilnVolume,
  mainWrapper,
  mainWrapperAfterLauncher,
  mainWrapperBesideStaticLauncher,
  podResolveOptions,
  podWorkDir,
} from './in-pod/layout';
import { staticPlanEnv, type StaticLaunchPlan } from './static-launcher';

/** Cluster-wide pod settings the worker is configured with (the IR's task settings come on top). */
export interface PodDefaults {
  /** The Kiln launcher image (init container and sidecar). */
  launcherImage: string;
  /**
   * How to start the in-pod launcher in that image. Default `['kiln-pod-launcher']`.
   * The phase and its flags are appended.
   */
  launcherCommand?: string[];
  /**
   * How to start the static launcher (apps/static-launcher, `kiln-static-launcher` in the launcher
   * image) for a step that moves no artifacts: it starts in milliseconds where the Node launcher takes
   * ~150 ms, and gets no store credentials. `launch` is appended. Unset: every step uses
   * {@link launcherCommand}. Used with the `'one-process'` layout only.
   */
  staticLauncherCommand?: string[];
  /**
   * How the launcher runs in the pod. `'one-process'` (default): one native sidecar, `kiln-launcher`, started
   * with main; it fetches the inputs while main's wrapper waits for them, then publishes the outputs: one
   * launcher process per pod. `'init-and-sidecar'`: the earlier layout, a `kiln-fetch` init container and a
   * `kiln-publish` sidecar, two launcher processes, main starting only after the init container exited.
   */
  launcherLayout?: LauncherLayout;
  /** Extra environment of the launcher containers (not the user's), e.g. a log level. */
  launcherEnv?: Record<string, string>;
  /** Name of a Secret whose keys become the launcher containers' environment (store credentials). */
  storeSecret?: string;
  /** Service account of step pods when the task names none. Default: none (the namespace default), token not mounted. */
  serviceAccount?: string;
  imagePullSecrets?: string[];
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  nodeSelector?: Record<string, string>;
  tolerations?: V1Toleration[];
  /** Node label that an accelerator type selects on. Default `cloud.google.com/gke-accelerator`. */
  acceleratorLabel?: string;
  /** Pod security context. `runAsNonRoot` is set only if configured here: many ML images run as root. */
  securityContext?: V1PodSecurityContext;
  /** Resources of the launcher containers. Default: 50m CPU / 128Mi requested, 512Mi limit. */
  launcherResources?: V1ResourceRequirements;
  /** Seconds between SIGTERM and SIGKILL on deletion; also the sidecar's time to publish. Default 30. */
  terminationGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** See {@link PodDefaults.launcherLayout}. */
export type LauncherLayout = 'one-process' | 'init-and-sidecar';

/** The layouts by name, for settings read from text (`KILN_K8S_LAUNCHER_LAYOUT`). */
export const launcherLayouts: readonly LauncherLayout[] = ['one-process', 'init-and-sidecar'];

export interface PodBuildInput {
  /** The step (located or not: its store locations are resolved here with `locateStep`). */
  request: StepRequest | LegacyStepRequest;
  identity: PodIdentity;
  namespace: string;
  /** The artifact store URL the launcher containers open (no credentials in it). */
  storeUrl: string;
  /** Store key of the staged launch request. */
  requestKey: string;
  /** The static launcher's plan, when this pod runs it (`staticLaunchPlan`; needs `defaults.staticLauncherCommand`). */
  staticPlan?: StaticLaunchPlan;
  defaults: PodDefaults;
}

const defaultLauncherResources: V1ResourceRequirements = {
  requests: { cpu: '50m', memory: '128Mi' },
  limits: { memory: '512Mi' },
};

/** What Kiln's own containers need: no privilege escalation, no capabilities. */
const launcherSecurity: V1SecurityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

/**
 * The resolved argv of the main container. Paths point into the pod's work
 * folder, laid out exactly as the fetch phase fills it. A python component runs
 * the shim the fetch phase copies there on the image's `python3`.
 *
 * @example
 * ```ts
 * resolveMainCommand(toLaunchRequest(req))
 * // ['python', 'train.py', '--data', '/kiln/work/inputs/data/data.csv']
 * ```
 */
export function resolveMainCommand(request: LaunchRequest): string[] {
  const layout = podLayout(request);
  return resolveStepCommand(request, layout, inputPaths(request, layout), podResolveOptions).argv;
}

function mainResources(req: LocatedStep): V1ResourceRequirements | undefined {
  const r = req.settings.resources;
  if (!r) return undefined;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  for (const [name, rl] of [
    ['cpu', r.cpu],
    ['memory', r.memory],
  ] as const) {
    if (rl?.request !== undefined) requests[name] = rl.request;
    if (rl?.limit !== undefined) limits[name] = rl.limit;
  }
  // Extended resources cannot be overcommitted: the limit is the request (the API server defaults one from the other).
  if (r.gpu) limits[r.gpu.resource ?? 'nvidia.com/gpu'] = String(r.gpu.count);
  // An accelerator written as a resource name (KFP's `nvidia.com/gpu`) is a limit, never a node selector.
  else if (r.accelerator !== undefined && isResourceName(r.accelerator)) limits[r.accelerator] = '1';
  if (Object.keys(requests).length === 0 && Object.keys(limits).length === 0) return undefined;
  return { ...(Object.keys(requests).length > 0 && { requests }), ...(Object.keys(limits).length > 0 && { limits }) };
}

/** `nvidia.com/gpu`, `amd.com/gpu`: an extended resource (domain/name), not an accelerator type like `nvidia-tesla-t4`. */
function isResourceName(value: string): boolean {
  return /^[^/]+\.[^/]+\/[^/]+$/.test(value);
}

/** Secret/config map keys as env vars, and whole ones as files. */
function refsAsEnvAndVolumes(req: LocatedStep): { env: V1EnvVar[]; volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const env: V1EnvVar[] = [];
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  (req.settings.secrets ?? []).forEach((secret, i) => {
    for (const [envName, key] of Object.entries(secret.env ?? {}))
      env.push({ name: envName, valueFrom: { secretKeyRef: { name: secret.name, key } } });
    if (secret.mountPath) {
      const volume = `kiln-secret-${i}`;
      volumes.push({ name: volume, secret: { secretName: secret.name } });
      mounts.push({ name: volume, mountPath: secret.mountPath, readOnly: true });
    }
  });
  (req.settings.configMaps ?? []).forEach((configMap, i) => {
    for (const [envName, key] of Object.entries(configMap.env ?? {}))
      env.push({ name: envName, valueFrom: { configMapKeyRef: { name: configMap.name, key } } });
    if (configMap.mountPath) {
      const volume = `kiln-configmap-${i}`;
      volumes.push({ name: volume, configMap: { name: configMap.name } });
      mounts.push({ name: volume, mountPath: configMap.mountPath, readOnly: true });
    }
  });
  return { env, volumes, mounts };
}

function userVolumes(req: LocatedStep): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  for (const v of req.settings.volumes ?? []) {
    const name = `user-${v.name}`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 63);
    const source = v.source;
    volumes.push(
      source.type === 'pvc'
        ? { name, persistentVolumeClaim: { claimName: source.claimName, ...(v.readOnly && { readOnly: true }) } }
        : {
            name,
            emptyDir: {
              ...(source.medium && { medium: source.medium }),
              ...(source.sizeLimit && { sizeLimit: source.sizeLimit }),
            },
          },
    );
    mounts.push({ name, mountPath: v.mountPath, ...(v.readOnly && { readOnly: true }) });
  }
  return { volumes, mounts };
}

/**
 * Tolerations and affinity arrive from the IR as JSON objects, deliberately
 * passed through unchanged: the API server validates them, with better messages
 * than we could write. Only the shape (an object) is checked here.
 */
function passThrough<T>(value: Record<string, unknown>): T {
  return value as T;
}

/** The shared emptyDir, as every container mounts it. */
const kilnMount: V1VolumeMount = { name: kilnVolume, mountPath: kilnMountPath };

/**
 * The shared emptyDir, and for a step that speaks KFP's protocol also its folders at `/s3`, `/gcs` and
 * `/minio`, where KFP's runtime looks for artifacts (see in-pod/kfp-layout.ts).
 */
function sharedMounts(req: LocatedStep): V1VolumeMount[] {
  if (!speaksKfp(req)) return [kilnMount];
  const kfpMounts = kfpMountPrefixes.map(({ mount }) => ({
    name: kilnVolume,
    mountPath: mount.slice(0, -1),
    subPath: `kfp${mount.slice(0, -1)}`,
  }));
  return [kilnMount, ...kfpMounts];
}

/** A container from the launcher image running one in-pod phase; only these two get the store's credentials. */
function launcherContainer(input: PodBuildInput, name: string, phase: 'launch' | 'fetch' | 'publish'): V1Container {
  const { defaults } = input;
  const launcher = defaults.launcherCommand ?? ['kiln-pod-launcher'];
  const envFrom: V1EnvFromSource[] = defaults.storeSecret ? [{ secretRef: { name: defaults.storeSecret } }] : [];
  return {
    name,
    image: defaults.launcherImage,
    ...(defaults.imagePullPolicy && { imagePullPolicy: defaults.imagePullPolicy }),
    command: [...launcher, phase, '--store', input.storeUrl, '--request-key', input.requestKey],
    ...(defaults.launcherEnv && {
      env: Object.entries(defaults.launcherEnv).map(([envName, value]) => ({ name: envName, value })),
    }),
    ...(envFrom.length > 0 && { envFrom }),
    volumeMounts: sharedMounts(locateStep(input.request)),
    resources: defaults.launcherResources ?? defaultLauncherResources,
    securityContext: launcherSecurity,
  };
}

/** The static launcher, with its plan and without the store's credentials (it never opens the store). */
function staticLauncherContainer(input: PodBuildInput, command: string[], plan: StaticLaunchPlan): V1Container {
  const { defaults } = input;
  return {
    name: containerNames.launcher,
    image: defaults.launcherImage,
    ...(defaults.imagePullPolicy && { imagePullPolicy: defaults.imagePullPolicy }),
    command: [...command, 'launch'],
    env: [
      ...Object.entries(defaults.launcherEnv ?? {}).map(([envName, value]) => ({ name: envName, value })),
      { name: staticPlanEnv, value: JSON.stringify(plan) },
    ],
    volumeMounts: sharedMounts(locateStep(input.request)),
    resources: defaults.launcherResources ?? defaultLauncherResources,
    securityContext: launcherSecurity,
  };
}

/** The static launcher's command when this pod runs it: the one-process layout, a command, a plan. */
function staticLauncherOf(input: PodBuildInput): { command: string[]; plan: StaticLaunchPlan } | undefined {
  const { defaults, staticPlan } = input;
  const oneProcess = (defaults.launcherLayout ?? 'one-process') === 'one-process';
  if (!oneProcess || !staticPlan || !defaults.staticLauncherCommand?.length) return undefined;
  return { command: defaults.staticLauncherCommand, plan: staticPlan };
}

/** The user's image running the resolved command under the exit-code wrapper, with the task's env, resources and mounts. */
function mainContainer(
  input: PodBuildInput,
  req: LocatedStep,
  image: string,
  start: { wrapper: string; workingDir: string },
): { container: V1Container; volumes: V1Volume[] } {
  const { defaults } = input;
  const settings = req.settings;
  // The same request the fetch phase reads from the store, so both resolve the same paths.
  const argv = resolveMainCommand(toLaunchRequest(req));
  const refs = refsAsEnvAndVolumes(req);
  const user = userVolumes(req);
  const resources = mainResources(req);
  const env: V1EnvVar[] = [
    ...Object.entries(settings.env ?? {}).map(([name, value]) => ({ name, value })),
    ...refs.env,
  ];
  const pullPolicy = settings.imagePullPolicy ?? defaults.imagePullPolicy;
  return {
    container: {
      name: containerNames.main,
      image,
      ...(pullPolicy && { imagePullPolicy: pullPolicy }),
      command: ['/bin/sh', '-c', start.wrapper, 'kiln-step', ...argv],
      workingDir: start.workingDir,
      ...(env.length > 0 && { env }),
      ...(resources && { resources }),
      volumeMounts: [...sharedMounts(req), ...refs.mounts, ...user.mounts],
    },
    volumes: [...refs.volumes, ...user.volumes],
  };
}

/** Where the pod may run and as whom: node selector (and accelerator), tolerations, affinity, pull secrets, service account. */
function placement(input: PodBuildInput): Partial<V1PodSpec> {
  const { request: req, defaults } = input;
  const settings = req.settings;
  const nodeSelector = {
    ...defaults.nodeSelector,
    ...(settings.resources?.accelerator &&
      !isResourceName(settings.resources.accelerator) && {
        [defaults.acceleratorLabel ?? 'cloud.google.com/gke-accelerator']: settings.resources.accelerator,
      }),
    ...settings.nodeSelector,
  };
  const tolerations = [
    ...(defaults.tolerations ?? []),
    ...(settings.tolerations ?? []).map((t) => passThrough<V1Toleration>(t)),
  ];
  const imagePullSecrets = [...new Set([...(defaults.imagePullSecrets ?? []), ...(settings.imagePullSecrets ?? [])])];
  const serviceAccount = settings.serviceAccount ?? defaults.serviceAccount;
  return {
    ...(serviceAccount ? { serviceAccountName: serviceAccount } : { automountServiceAccountToken: false }),
    ...(Object.keys(nodeSelector).length > 0 && { nodeSelector }),
    ...(tolerations.length > 0 && { tolerations }),
    ...(settings.affinity && { affinity: passThrough<V1Affinity>(settings.affinity) }),
    ...(imagePullSecrets.length > 0 && { imagePullSecrets: imagePullSecrets.map((name) => ({ name })) }),
  };
}

/**
 * Builds the pod for one step attempt.
 *
 * @example
 * ```ts
 * const identity = podIdentity(request);
 * const pod = buildPod({ request, identity, namespace: 'ml', storeUrl: 's3://kiln/artifacts',
 *   requestKey: podRequestKey(locateStep(request).executionKey),
 *   defaults: { launcherImage: 'ghcr.io/kiln/launcher:0.1.0', storeSecret: 'kiln-store' } });
 * await core.createNamespacedPod({ namespace: 'ml', body: pod });
 * ```
 */
export function buildPod(input: PodBuildInput): V1Pod {
  const { identity, defaults } = input;
  const req = locateStep(input.request);
  const settings = req.settings;
  const impl = req.component.implementation;
  if (impl.type !== 'container' && impl.type !== 'python') {
    throw new Error(
      `component "${req.component.name}" has a ${impl.type} implementation; the Kubernetes executor runs container and python components`,
    );
  }
  const oneProcess = (defaults.launcherLayout ?? 'one-process') === 'one-process';
  const staticLauncher = staticLauncherOf(input);
  const main = mainContainer(
    input,
    req,
    impl.image,
    // One process: main starts before the launcher made the work folder, so it starts in the mount.
    staticLauncher
      ? { wrapper: mainWrapperBesideStaticLauncher, workingDir: kilnMountPath }
      : oneProcess
        ? { wrapper: mainWrapperAfterLauncher, workingDir: kilnMountPath }
        : { wrapper: mainWrapper, workingDir: podWorkDir },
  );
  // The static launcher is a regular container beside main (it exits once it has reported), so main
  // need not wait for a sidecar to be started: the kubelet starts both at once.
  const companions = staticLauncher
    ? [staticLauncherContainer(input, staticLauncher.command, staticLauncher.plan)]
    : [];
  const launcherContainers = staticLauncher
    ? []
    : oneProcess
      ? // One process: main starts beside it and waits for the work folder (mainWrapperAfterLauncher).
        [{ ...launcherContainer(input, containerNames.launcher, 'launch'), restartPolicy: 'Always' }]
      : // The sidecar first: it must be up before main runs (fetch waits for its ready file).
        [
          { ...launcherContainer(input, containerNames.publish, 'publish'), restartPolicy: 'Always' },
          launcherContainer(input, containerNames.fetch, 'fetch'),
        ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: identity.name,
      namespace: input.namespace,
      labels: { ...defaults.labels, ...settings.labels, ...identity.labels },
      annotations: {
        ...defaults.annotations,
        ...settings.annotations,
        ...identity.annotations,
        // Read back by whichever worker collects the pod, so the step's own retention outlives this activity.
        ...(req.podTtlSeconds !== undefined && { [annotationKeys.failedPodTtlSeconds]: String(req.podTtlSeconds) }),
        // Read back when the pod is collected: its outputs are in the static launcher's log, not in the store.
        ...(staticLauncher && { [annotationKeys.launcher]: 'static' }),
      },
    },
    spec: {
      restartPolicy: 'Never',
      // Orphans (a worker gone for good) die on their own.
      ...(settings.timeoutSeconds !== undefined && { activeDeadlineSeconds: settings.timeoutSeconds }),
      terminationGracePeriodSeconds: defaults.terminationGracePeriodSeconds ?? 30,
      ...placement(input),
      enableServiceLinks: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' }, ...defaults.securityContext },
      ...(launcherContainers.length > 0 && { initContainers: launcherContainers }),
      containers: [...companions, main.container],
      volumes: [{ name: kilnVolume, emptyDir: {} }, ...main.volumes],
    },
  };
}
