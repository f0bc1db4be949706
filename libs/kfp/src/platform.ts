/**
 * The Kubernetes platform spec (kfp-kubernetes, the second YAML document):
 * per executor, `KubernetesExecutorConfig` → Kiln task settings. Secrets and
 * config maps as env or files, PVC and emptyDir mounts, shared memory, node
 * selectors, affinity, tolerations, pod labels/annotations, image pull policy
 * and secrets, and the pod deadline all map; what Kiln has no setting for
 * (field-path env, ephemeral volumes, security context, init containers,
 * optional secrets, PVC sub-paths, names from pipeline parameters) is refused.
 */
import type { JsonValue, TaskSettings } from '@kiln/ir';
import { nodeAffinity, podAffinity } from './affinity';
import { toDnsLabel } from './names';
import { constantName, constantParameter } from './platform-values';
import type { At } from './reader';

type SecretRef = NonNullable<TaskSettings['secrets']>[number];
type Volume = NonNullable<TaskSettings['volumes']>[number];

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;

/** The task settings one executor's `KubernetesExecutorConfig` asks for. */
export function readPlatformSettings(config: At): TaskSettings {
  config.only({
    secretAsVolume: null,
    secretAsEnv: null,
    pvcMount: null,
    nodeSelector: null,
    podMetadata: null,
    imagePullSecret: null,
    imagePullPolicy: null,
    configMapAsVolume: null,
    configMapAsEnv: null,
    activeDeadlineSeconds: null,
    fieldPathAsEnv: 'kubernetes.use_field_path_as_env',
    tolerations: null,
    genericEphemeralVolume: 'kubernetes.add_ephemeral_volume',
    nodeAffinity: null,
    podAffinity: null,
    enabledSharedMemory: null,
    emptyDirMounts: null,
    securityContext: 'kubernetes.set_security_context',
    initContainers: 'kubernetes.add_init_container',
  });
  const settings: TaskSettings = {};
  const secrets = [
    ...config
      .child('secretAsEnv')
      .items()
      .map((i) => asEnv(i, 'secret')),
    ...config
      .child('secretAsVolume')
      .items()
      .map((i) => asVolume(i, 'secret')),
  ].filter((s): s is SecretRef => s !== undefined);
  if (secrets.length > 0) settings.secrets = secrets;
  const configMaps = [
    ...config
      .child('configMapAsEnv')
      .items()
      .map((i) => asEnv(i, 'configMap')),
    ...config
      .child('configMapAsVolume')
      .items()
      .map((i) => asVolume(i, 'configMap')),
  ].filter((s): s is SecretRef => s !== undefined);
  if (configMaps.length > 0) settings.configMaps = configMaps;
  const volumes = readVolumes(config);
  if (volumes.length > 0) settings.volumes = volumes;
  readScheduling(config, settings);
  readPod(config, settings);
  return settings;
}

const KINDS = {
  secret: {
    parameter: 'secretNameParameter',
    legacy: 'secretName',
    key: 'secretKey',
    env: 'kubernetes.use_secret_as_env',
    volume: 'kubernetes.use_secret_as_volume',
  },
  configMap: {
    parameter: 'configMapNameParameter',
    legacy: 'configMapName',
    key: 'configMapKey',
    env: 'kubernetes.use_config_map_as_env',
    volume: 'kubernetes.use_config_map_as_volume',
  },
} as const;

function optionalRefused(item: At, feature: string): boolean {
  if (item.child('optional').boolean() !== true) return false;
  item
    .child('optional')
    .report(
      `${feature}(optional=True)`,
      'Kiln mounts secrets and config maps that must exist; optional ones are not supported',
    );
  return true;
}

function asEnv(item: At, kind: keyof typeof KINDS): SecretRef | undefined {
  const k = KINDS[kind];
  item.only({ [k.parameter]: null, [k.legacy]: null, keyToEnv: null, optional: null });
  const name = constantName(item, k.parameter, k.legacy, k.env);
  if (optionalRefused(item, k.env) || !name) return undefined;
  const env: Record<string, string> = {};
  for (const pair of item.child('keyToEnv').items()) {
    pair.only({ [k.key]: null, envVar: null });
    const variable = pair.child('envVar').string() ?? '';
    const key = pair.child(k.key).string() ?? '';
    if (!ENV_NAME.test(variable))
      pair.child('envVar').report(k.env, `"${variable}" is not an environment variable name`);
    else env[variable] = key;
  }
  return { name, env };
}

function asVolume(item: At, kind: keyof typeof KINDS): SecretRef | undefined {
  const k = KINDS[kind];
  item.only({ [k.parameter]: null, [k.legacy]: null, mountPath: null, optional: null });
  const name = constantName(item, k.parameter, k.legacy, k.volume);
  const mountPath = item.child('mountPath').string();
  if (optionalRefused(item, k.volume) || !name) return undefined;
  if (!mountPath) return item.refuse(k.volume, 'no mount path');
  return { name, mountPath };
}

function readVolumes(config: At): Volume[] {
  const volumes: Volume[] = [];
  const taken = new Set<string>();
  const unique = (base: string): string => {
    let name = toDnsLabel(base, 'volume');
    for (let n = 2; taken.has(name); n++) name = toDnsLabel(`${base}-${n}`, 'volume');
    taken.add(name);
    return name;
  };
  for (const item of config.child('pvcMount').items()) {
    item.only({
      constant: null,
      pvcNameParameter: null,
      mountPath: null,
      // Deprecated spellings of pvcNameParameter, which kfp-kubernetes still writes next to it.
      componentInputParameter: null,
      taskOutputParameter: null,
      subPath: 'kubernetes.mount_pvc(sub_path=...)',
    });
    const legacyDynamic = !item.child('componentInputParameter').missing || !item.child('taskOutputParameter').missing;
    if (item.child('pvcNameParameter').missing && legacyDynamic) {
      item.report(
        'kubernetes.mount_pvc from a pipeline parameter or task output',
        'Kiln task settings are fixed when the pipeline is compiled; pass a constant',
      );
      continue;
    }
    const claimName = constantName(item, 'pvcNameParameter', 'constant', 'kubernetes.mount_pvc');
    const mountPath = item.child('mountPath').string();
    if (!claimName || !mountPath?.startsWith('/')) {
      if (claimName) item.child('mountPath').report('kubernetes.mount_pvc', 'the mount path must be absolute');
      continue;
    }
    volumes.push({ name: unique(`pvc-${claimName}`), mountPath, source: { type: 'pvc', claimName } });
  }
  for (const item of config.child('emptyDirMounts').items()) {
    item.only({ volumeName: null, mountPath: null, medium: null, sizeLimit: null });
    const volume = emptyDir(
      item,
      item.child('mountPath').string(),
      item.child('medium').string(),
      'kubernetes.empty_dir_mount',
    );
    if (volume) volumes.push({ ...volume, name: unique(item.child('volumeName').string() ?? 'empty-dir') });
  }
  const shm = config.child('enabledSharedMemory');
  if (!shm.missing) {
    shm.only({ volumeName: null, size: null });
    const volume = emptyDir(shm, '/dev/shm', 'Memory', 'kubernetes.enable_shared_memory', shm.child('size'));
    if (volume) volumes.push({ ...volume, name: unique(shm.child('volumeName').string() ?? 'shm') });
  }
  return volumes;
}

function emptyDir(
  item: At,
  mountPath: string | undefined,
  medium: string | undefined,
  feature: string,
  sizeAt: At = item.child('sizeLimit'),
): Omit<Volume, 'name'> | undefined {
  if (!mountPath?.startsWith('/')) return item.refuse(feature, 'the mount path must be absolute');
  if (medium !== undefined && medium !== '' && medium !== 'Memory') {
    return item.child('medium').refuse(feature, `emptyDir medium "${medium}" (Kiln knows "" and "Memory")`);
  }
  const size = sizeAt.string();
  if (size && !QUANTITY.test(size)) return sizeAt.refuse(feature, `"${size}" is not a Kubernetes quantity`);
  return {
    mountPath,
    source: { type: 'emptyDir', ...(medium === 'Memory' && { medium: 'Memory' }), ...(size && { sizeLimit: size }) },
  };
}

function readScheduling(config: At, settings: TaskSettings): void {
  const selector = config.child('nodeSelector');
  selector.only({ labels: null, nodeSelectorJson: null });
  const labels: Record<string, string> = {};
  for (const [key, value] of selector.child('labels').entries()) labels[key] = value.string() ?? '';
  if (!selector.child('nodeSelectorJson').missing) {
    const json = constantParameter(selector.child('nodeSelectorJson'), 'kubernetes.add_node_selector_json');
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      for (const [key, value] of Object.entries(json)) labels[key] = String(value);
    }
  }
  if (Object.keys(labels).length > 0) settings.nodeSelector = labels;
  const tolerations = config
    .child('tolerations')
    .items()
    .map(toleration)
    .filter((t): t is Record<string, JsonValue> => t !== undefined);
  if (tolerations.length > 0) settings.tolerations = tolerations;
  const node = nodeAffinity(config.child('nodeAffinity'));
  const pod = podAffinity(config.child('podAffinity'));
  if (node || pod) settings.affinity = { ...(node && { nodeAffinity: node }), ...pod };
}

function toleration(item: At): Record<string, JsonValue> | undefined {
  item.only({ key: null, operator: null, value: null, effect: null, tolerationSeconds: null, tolerationJson: null });
  if (!item.child('tolerationJson').missing) {
    const json = constantParameter(item.child('tolerationJson'), 'kubernetes.add_toleration_json');
    if (json && typeof json === 'object' && !Array.isArray(json)) return json;
    return json === undefined
      ? undefined
      : item.refuse('kubernetes.add_toleration_json', 'expected one Toleration object');
  }
  const out: Record<string, JsonValue> = {};
  for (const field of ['key', 'operator', 'value', 'effect']) {
    const text = item.child(field).string();
    if (text) out[field] = text;
  }
  const seconds = item.child('tolerationSeconds').number();
  if (seconds !== undefined) out['tolerationSeconds'] = seconds;
  return out;
}

function readPod(config: At, settings: TaskSettings): void {
  const metadata = config.child('podMetadata');
  metadata.only({ labels: null, annotations: null });
  for (const field of ['labels', 'annotations'] as const) {
    const map: Record<string, string> = {};
    for (const [key, value] of metadata.child(field).entries()) map[key] = value.string() ?? '';
    if (Object.keys(map).length > 0) settings[field] = map;
  }
  const pullSecrets = config
    .child('imagePullSecret')
    .items()
    .map((item) => {
      item.only({ secretName: null, secretNameParameter: null });
      return constantName(item, 'secretNameParameter', 'secretName', 'kubernetes.set_image_pull_secrets');
    })
    .filter((name): name is string => name !== undefined);
  if (pullSecrets.length > 0) settings.imagePullSecrets = pullSecrets;
  const policyAt = config.child('imagePullPolicy');
  const policy = policyAt.string();
  if (policy === 'Always' || policy === 'IfNotPresent' || policy === 'Never') settings.imagePullPolicy = policy;
  else if (policy) policyAt.report('kubernetes.set_image_pull_policy', `unknown image pull policy "${policy}"`);
  const deadline = config.child('activeDeadlineSeconds').number();
  if (deadline !== undefined && deadline > 0) {
    if (Number.isInteger(deadline)) settings.timeoutSeconds = deadline;
    else config.child('activeDeadlineSeconds').report('kubernetes.set_timeout', 'the timeout must be whole seconds');
  }
}
