/**
 * Tasks: a component called inside a pipeline body. Calling binds and checks
 * the inputs at once, records the task in the current scope and returns a
 * {@link Task} whose `outputs` are typed references. Settings are fluent: each
 * setter checks its argument, records it and returns the same task.
 */
import type { IoSpec, JsonValue, TaskSettings } from '@kiln/ir';
import type { ComponentImpl } from './component-impl';
import { DslError } from './errors';
import { type Duration, type Quantity, parseDuration, parseQuantity, parseWholeSeconds } from './durations';
import {
  allocateId,
  currentScope,
  describeNode,
  enclosingLoops,
  encloses,
  type NodeRec,
  type Scope,
  scopeChain,
  type Source,
  type TaskRec,
} from './graph';
import { type AnyRef, LooseRef, makeRef, type RefType, Ref, SOURCE, toJson, TYPE } from './refs';

/** Something a task can run after: a task, or a `when` / `parallelFor` / `exitHandler` group. */
export interface Dependable {
  /** @internal */
  readonly node: NodeRec;
}

/** Retry policy. Durations are text like `'10s'` or seconds. */
export interface RetryOptions {
  /** Total attempts including the first (at least 1). */
  maxAttempts: number;
  /** Wait before the first retry (default `'10s'`). */
  backoff?: Duration;
  /** Multiplier per retry (default 2). */
  factor?: number;
  /** Longest wait between attempts (default `'1h'`). */
  maxBackoff?: Duration;
  /** Which failures retry (default both): `user` = non-zero exit / OOM, `infrastructure` = eviction, API errors, lost nodes. */
  retryOn?: readonly ('user' | 'infrastructure')[];
}

/** Caching options. */
export interface CachingOptions {
  /** Extra text mixed into the cache fingerprint; change it to invalidate old entries. */
  key?: string;
  /** Results older than this are not reused, e.g. `'7d'`. */
  maxStaleness?: Duration;
}

/** A CPU or memory amount: one quantity (request = limit), or request and limit separately. */
export type RequestLimit = Quantity | { request?: Quantity; limit?: Quantity };

export interface ResourceOptions {
  cpu?: RequestLimit;
  memory?: RequestLimit;
  /** GPU count (of `nvidia.com/gpu`), or count and extended resource name. */
  gpu?: number | { count: number; resource?: string };
  /**
   * The accelerator as KFP means it (`set_accelerator_type`): the extended resource name the pod
   * asks for in its limits, `gpu` times (default 1), e.g. `nvidia.com/gpu`, `amd.com/gpu`.
   */
  accelerator?: string;
  /**
   * Only where you ask for it: an accelerator type the executor turns into a node selector on its
   * accelerator label (default `cloud.google.com/gke-accelerator`), e.g. `nvidia-tesla-t4` on GKE.
   */
  acceleratorNodeSelector?: string;
}

/** A secret or config map exposed as environment variables (`env: { VAR: key }`) and/or files (`mountPath`). */
export type MountOptions =
  { env: Record<string, string>; mountPath?: string } | { env?: Record<string, string>; mountPath: string };

export interface VolumeOptions {
  /** A DNS label naming the volume in the pod. */
  name: string;
  /** Absolute path in the container. */
  mountPath: string;
  readOnly?: boolean;
  /** A PersistentVolumeClaim to mount. */
  pvc?: string;
  /** A scratch volume: `true`, or its medium and size limit. */
  emptyDir?: true | { medium?: '' | 'Memory'; sizeLimit?: Quantity };
}

/** Kubernetes toleration (passed through). */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

const envNameRe = /^[A-Za-z_][A-Za-z0-9_]*$/;
const labelRe = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A component run inside a pipeline. `outputs` holds typed references to wire
 * into later tasks; the setters configure how it runs and return the task.
 *
 * @example
 * ```ts
 * const train = trainModel({ dataset: load.outputs.dataset })
 *   .retry({ maxAttempts: 3, backoff: '10s' })
 *   .resources({ cpu: '2', memory: '4Gi' })
 *   .caching({ maxStaleness: '7d' });
 * evaluate({ model: train.outputs.model });
 * ```
 */
export class Task<Out = Record<string, AnyRef>> implements Dependable {
  /** Typed references to this task's outputs. */
  readonly outputs: Out;
  /** @internal */
  readonly node: TaskRec;

  /** @internal */
  constructor(node: TaskRec) {
    this.node = node;
    this.outputs = Object.fromEntries(
      Object.entries(node.component.outputs).map(([name, spec]) => {
        const source: Source = { kind: 'output', task: node, output: name };
        return [name, node.component.loose ? new LooseRef(source, specType(spec)) : makeRef(source, specType(spec))];
      }),
    ) as Out;
  }

  /**
   * One output by name; throws naming the task when there is none. Handy for
   * components loaded from IR, whose outputs TypeScript does not know.
   * @example
   * ```ts
   * show({ score: scorer({ model: 'm1' }).output('score') });
   * ```
   */
  output<K extends keyof Out & string>(name: K): Out[K];
  output(name: string): AnyRef;
  output(name: string): unknown {
    const ref = (this.outputs as Record<string, AnyRef>)[name];
    if (ref === undefined || !Object.prototype.hasOwnProperty.call(this.outputs, name)) {
      const known = Object.keys(this.outputs as object);
      throw new DslError(
        `task '${this.node.id}' has no output '${name}' (it has ${known.length ? known.map((k) => `'${k}'`).join(', ') : 'none'})`,
        { task: this.node.id },
      );
    }
    return ref;
  }

  /** The task's id in the IR (unique in its pipeline): the component name, deduplicated as `name-2`, `name-3`... */
  get id(): string {
    return this.node.id;
  }

  private where(setting: string): string {
    return `task '${this.node.id}' .${setting}()`;
  }

  private set(patch: TaskSettings): this {
    this.node.settings = { ...this.node.settings, ...patch };
    return this;
  }

  /**
   * Retries failed attempts.
   * @example
   * ```ts
   * train.retry({ maxAttempts: 3, backoff: '10s', factor: 2, maxBackoff: '5m', retryOn: ['infrastructure'] })
   * ```
   */
  retry(options: RetryOptions): this {
    const where = this.where('retry');
    const { maxAttempts, factor = 2, retryOn = ['user', 'infrastructure'] } = options;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
      throw new DslError(`${where}: maxAttempts must be a whole number >= 1, got ${maxAttempts}`, {
        task: this.node.id,
      });
    if (typeof factor !== 'number' || !(factor >= 1))
      throw new DslError(`${where}: factor must be a number >= 1, got ${factor}`, { task: this.node.id });
    for (const r of retryOn)
      if (r !== 'user' && r !== 'infrastructure')
        throw new DslError(`${where}: retryOn entries are 'user' or 'infrastructure', got '${String(r)}'`, {
          task: this.node.id,
        });
    const initial = parseDuration(options.backoff ?? '10s', `${where} backoff`);
    const max = parseDuration(options.maxBackoff ?? '1h', `${where} maxBackoff`);
    if (max < initial)
      throw new DslError(`${where}: maxBackoff (${max}s) is shorter than backoff (${initial}s)`, {
        task: this.node.id,
      });
    return this.set({
      retry: {
        maxAttempts,
        initialBackoffSeconds: initial,
        backoffFactor: factor,
        maxBackoffSeconds: max,
        retryOn: [...new Set(retryOn)].sort(),
      },
    });
  }

  /**
   * Turns result caching on or off, or tunes it.
   * @example
   * ```ts
   * load.caching(false); train.caching({ key: 'v2', maxStaleness: '7d' });
   * ```
   */
  caching(options: boolean | CachingOptions): this {
    const where = this.where('caching');
    if (typeof options === 'boolean') return this.set({ caching: { enabled: options } });
    const caching: NonNullable<TaskSettings['caching']> = { enabled: true };
    if (options.key !== undefined) caching.key = options.key;
    if (options.maxStaleness !== undefined)
      caching.maxStalenessSeconds = parseWholeSeconds(options.maxStaleness, `${where} maxStaleness`, 0);
    return this.set({ caching });
  }

  /**
   * Fails an attempt that runs longer than this.
   * @example
   * ```ts
   * train.timeout('2h')
   * ```
   */
  timeout(duration: Duration): this {
    return this.set({ timeoutSeconds: parseWholeSeconds(duration, `${this.where('timeout')}`) });
  }

  /**
   * CPU, memory, GPUs and accelerator. A single quantity sets request and limit alike.
   * @example
   * ```ts
   * train.resources({ cpu: { request: '1', limit: '4' }, memory: '8Gi', gpu: 1, accelerator: 'nvidia.com/gpu' })
   * // on GKE, to pick the GPU model too: { gpu: 1, acceleratorNodeSelector: 'nvidia-tesla-t4' }
   * ```
   */
  resources(options: ResourceOptions): this {
    const where = this.where('resources');
    const rl = (v: RequestLimit, what: string): { request?: string; limit?: string } => {
      if (typeof v === 'string' || typeof v === 'number') {
        const q = parseQuantity(v, `${where} ${what}`);
        return { request: q, limit: q };
      }
      const out: { request?: string; limit?: string } = {};
      if (v.request !== undefined) out.request = parseQuantity(v.request, `${where} ${what}.request`);
      if (v.limit !== undefined) out.limit = parseQuantity(v.limit, `${where} ${what}.limit`);
      return out;
    };
    const resources: NonNullable<TaskSettings['resources']> = { ...this.node.settings.resources };
    if (options.cpu !== undefined) resources.cpu = rl(options.cpu, 'cpu');
    if (options.memory !== undefined) resources.memory = rl(options.memory, 'memory');
    const gpu = this.gpuResources(options, where);
    if (gpu !== undefined) resources.gpu = gpu;
    if (options.acceleratorNodeSelector !== undefined) resources.accelerator = options.acceleratorNodeSelector;
    return this.set({ resources });
  }

  /** `gpu` and `accelerator` as one extended resource and count for the pod's limits. */
  private gpuResources(options: ResourceOptions, where: string): { count: number; resource?: string } | undefined {
    if (options.gpu === undefined && options.accelerator === undefined) return undefined;
    const gpu = typeof options.gpu === 'number' ? { count: options.gpu } : { count: 1, ...options.gpu };
    if (!Number.isInteger(gpu.count) || gpu.count < 1)
      throw new DslError(`${where}: gpu count must be a whole number >= 1, got ${gpu.count}`, { task: this.node.id });
    if (options.accelerator === undefined) return gpu;
    if (
      !/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(
        options.accelerator,
      )
    ) {
      throw new DslError(
        `${where}: accelerator "${options.accelerator}" is not an extended resource name like "nvidia.com/gpu" ` +
          `(KFP's set_accelerator_type); to select nodes by accelerator type, use acceleratorNodeSelector`,
        { task: this.node.id },
      );
    }
    return { ...gpu, resource: options.accelerator };
  }

  /**
   * Environment variables (merged with earlier calls).
   * @example
   * ```ts
   * train.env({ OMP_NUM_THREADS: '4' })
   * ```
   */
  env(vars: Record<string, string | number | boolean>): this {
    const env = { ...this.node.settings.env };
    for (const [k, v] of Object.entries(vars)) {
      if (!envNameRe.test(k))
        throw new DslError(`${this.where('env')}: '${k}' is not an environment variable name`, { task: this.node.id });
      env[k] = String(v);
    }
    return this.set({ env });
  }

  /**
   * Exposes a Kubernetes secret as environment variables (`{ VAR: key }`) and/or files.
   * @example
   * ```ts
   * deploy.secret('s3-creds', { env: { AWS_ACCESS_KEY_ID: 'access-key' } }).secret('tls', { mountPath: '/etc/tls' })
   * ```
   */
  secret(name: string, options: MountOptions): this {
    return this.set({ secrets: [...(this.node.settings.secrets ?? []), this.mount('secret', name, options)] });
  }

  /**
   * Exposes a Kubernetes config map as environment variables and/or files.
   * @example
   * ```ts
   * train.configMap('train-config', { mountPath: '/etc/train' })
   * ```
   */
  configMap(name: string, options: MountOptions): this {
    return this.set({ configMaps: [...(this.node.settings.configMaps ?? []), this.mount('configMap', name, options)] });
  }

  private mount(
    setting: string,
    name: string,
    options: MountOptions,
  ): { name: string; env?: Record<string, string>; mountPath?: string } {
    const where = this.where(setting);
    if (typeof name !== 'string' || name.length === 0)
      throw new DslError(`${where}: a name is required`, { task: this.node.id });
    const ref: { name: string; env?: Record<string, string>; mountPath?: string } = { name };
    if (options.env !== undefined) {
      for (const k of Object.keys(options.env))
        if (!envNameRe.test(k))
          throw new DslError(`${where} '${name}': '${k}' is not an environment variable name`, { task: this.node.id });
      ref.env = { ...options.env };
    }
    if (options.mountPath !== undefined) {
      if (!options.mountPath.startsWith('/'))
        throw new DslError(`${where} '${name}': mountPath must be absolute, got '${options.mountPath}'`, {
          task: this.node.id,
        });
      ref.mountPath = options.mountPath;
    }
    if (ref.env === undefined && ref.mountPath === undefined)
      throw new DslError(`${where} '${name}': give env and/or mountPath`, { task: this.node.id });
    return ref;
  }

  /**
   * Mounts a volume: a PersistentVolumeClaim or a scratch emptyDir.
   * @example
   * ```ts
   * train.volume({ name: 'cache', mountPath: '/cache', pvc: 'hf-cache' }).volume({ name: 'tmp', mountPath: '/tmp', emptyDir: { sizeLimit: '10Gi' } })
   * ```
   */
  volume(options: VolumeOptions): this {
    const where = this.where('volume');
    const fail = (m: string): never => {
      throw new DslError(`${where} '${options.name}': ${m}`, { task: this.node.id });
    };
    if (!labelRe.test(options.name)) fail('name must be a DNS label (lowercase letters, digits, dashes)');
    if (!options.mountPath.startsWith('/')) fail(`mountPath must be absolute, got '${options.mountPath}'`);
    if ((options.pvc === undefined) === (options.emptyDir === undefined)) fail('give exactly one of pvc or emptyDir');
    let source: NonNullable<TaskSettings['volumes']>[number]['source'];
    if (options.pvc !== undefined) source = { type: 'pvc', claimName: options.pvc };
    else {
      const e = options.emptyDir === true ? {} : (options.emptyDir ?? {});
      source = { type: 'emptyDir' };
      if (e.medium !== undefined) source.medium = e.medium;
      if (e.sizeLimit !== undefined)
        source.sizeLimit = parseQuantity(e.sizeLimit, `${where} '${options.name}' sizeLimit`);
    }
    const volume: NonNullable<TaskSettings['volumes']>[number] = {
      name: options.name,
      mountPath: options.mountPath,
      source,
    };
    if (options.readOnly) volume.readOnly = true;
    return this.set({ volumes: [...(this.node.settings.volumes ?? []), volume] });
  }

  /** Node labels the pod must match (merged). @example `train.nodeSelector({ pool: 'gpu' })` */
  nodeSelector(labels: Record<string, string>): this {
    return this.set({ nodeSelector: { ...this.node.settings.nodeSelector, ...labels } });
  }

  /** Kubernetes tolerations (appended). @example `train.tolerations({ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' })` */
  tolerations(...tolerations: Toleration[]): this {
    const list = tolerations.map((t) => toJson(t, this.where('tolerations')) as Record<string, JsonValue>);
    return this.set({ tolerations: [...(this.node.settings.tolerations ?? []), ...list] });
  }

  /** Kubernetes affinity, passed through as written. @example `train.affinity({ nodeAffinity: { ... } })` */
  affinity(affinity: Record<string, unknown>): this {
    return this.set({ affinity: toJson(affinity, this.where('affinity')) as Record<string, JsonValue> });
  }

  /** The Kubernetes service account the pod runs as. @example `deploy.serviceAccount('deployer')` */
  serviceAccount(name: string): this {
    return this.set({ serviceAccount: name });
  }

  /** Pod labels (merged). @example `train.labels({ team: 'ml' })` */
  labels(labels: Record<string, string>): this {
    return this.set({ labels: { ...this.node.settings.labels, ...labels } });
  }

  /** Pod annotations (merged). @example `train.annotations({ 'example.com/owner': 'ml' })` */
  annotations(annotations: Record<string, string>): this {
    return this.set({ annotations: { ...this.node.settings.annotations, ...annotations } });
  }

  /** When the image is pulled. @example `train.imagePullPolicy('Always')` */
  imagePullPolicy(policy: 'Always' | 'IfNotPresent' | 'Never'): this {
    if (!['Always', 'IfNotPresent', 'Never'].includes(policy))
      throw new DslError(`${this.where('imagePullPolicy')}: '${String(policy)}' is not Always, IfNotPresent or Never`, {
        task: this.node.id,
      });
    return this.set({ imagePullPolicy: policy });
  }

  /** Secrets holding registry credentials (appended). @example `train.imagePullSecrets('ghcr')` */
  imagePullSecrets(...names: string[]): this {
    return this.set({ imagePullSecrets: [...(this.node.settings.imagePullSecrets ?? []), ...names] });
  }

  /** The name shown in the UI and the run status. @example `train.displayName('Train (random forest)')` */
  displayName(name: string): this {
    return this.set({ displayName: name });
  }

  /** Runs even when an upstream task failed (its outputs may then be missing). @example `report.ignoreUpstreamFailure()` */
  ignoreUpstreamFailure(): this {
    return this.set({ ignoreUpstreamFailure: true });
  }

  /**
   * Runs after these tasks or groups even without a data dependency.
   * @example
   * ```ts
   * cleanup({}).after(train, evaluate)
   * ```
   */
  after(...upstream: Dependable[]): this {
    for (const u of upstream) {
      const node = (u as Partial<Dependable> | undefined)?.node;
      if (node === undefined)
        throw new DslError(`${this.where('after')}: expected tasks or groups`, { task: this.node.id });
      if (node === this.node)
        throw new DslError(`${this.where('after')}: a task cannot run after itself`, { task: this.node.id });
      checkAfterNode(node, this.node, this.where('after'));
      this.node.after.push(node);
    }
    return this;
  }
}

/** The runtime type of a reference produced from an IR spec. */
export function specType(spec: IoSpec): RefType {
  return spec.kind === 'param'
    ? { kind: 'param', type: spec.type }
    : { kind: 'artifact', type: spec.type, list: spec.list ?? false };
}

export function describeType(t: RefType): string {
  if (t.kind === 'param') return t.type === 'any' ? 'parameter of any type' : `${t.type} parameter`;
  return t.list ? `list of ${t.type} artifacts` : `${t.type} artifact`;
}

/** Same rules as the IR validator: int fits float, `artifact` takes any artifact, lists only to lists. */
export function assignable(actual: RefType, expected: RefType): boolean {
  if (actual.kind === 'param') {
    if (expected.kind !== 'param') return false;
    return (
      actual.type === 'any' ||
      expected.type === 'any' ||
      actual.type === expected.type ||
      (actual.type === 'int' && expected.type === 'float')
    );
  }
  if (expected.kind !== 'artifact') return false;
  return actual.list === expected.list && (expected.type === 'artifact' || expected.type === actual.type);
}

function constantFits(value: JsonValue, spec: IoSpec): string | undefined {
  if (spec.kind === 'artifact')
    return `an artifact input cannot take a literal value; bind a task output or use importer({ uri, artifactType: '${spec.type}' })`;
  const t = spec.type;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value;
  const ok =
    (t === 'string' && typeof value === 'string') ||
    (t === 'int' && typeof value === 'number' && Number.isInteger(value)) ||
    (t === 'float' && typeof value === 'number') ||
    (t === 'bool' && typeof value === 'boolean') ||
    (t === 'list' && Array.isArray(value)) ||
    (t === 'object' && actual === 'object');
  if (!ok)
    return `expected a ${t}, got ${actual === 'number' && t === 'int' ? `the non-integer ${String(value)}` : `${actual} ${JSON.stringify(value)}`}`;
  if (spec.enum !== undefined && !spec.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    return `${JSON.stringify(value)} is not one of ${spec.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  }
  return undefined;
}

/**
 * Throws unless `consumer` may run after `node`. Unlike data, ordering may reach
 * into groups: a node inside a loop, a condition or an exit handler that the
 * consumer is not in stands for the whole group (KFP lifts the dependency the
 * same way), so the consumer waits for every iteration or branch to settle.
 */
export function checkAfterNode(node: NodeRec, consumer: NodeRec, where: string): void {
  if (node.scope.pipeline !== consumer.scope.pipeline) {
    throw new DslError(
      `${where}: ${describeNode(node)} belongs to pipeline '${node.scope.pipeline.name}', not '${consumer.scope.pipeline.name}'`,
    );
  }
  if (scopeChain(consumer.scope).some((s) => s.owner === node)) {
    throw new DslError(
      `${where}: ${describeNode(consumer)} is inside ${describeNode(node)}, so it cannot run after it`,
    );
  }
  if (scopeChain(node.scope).some((s) => s.owner === consumer)) {
    throw new DslError(
      `${where}: ${describeNode(node)} is inside ${describeNode(consumer)}, so ${describeNode(consumer)} cannot run after it`,
    );
  }
}

/** Throws unless a node's outputs may be bound from `scope`. */
export function checkVisibleNode(node: NodeRec, scope: Scope, where: string): void {
  if (node.scope.pipeline !== scope.pipeline) {
    throw new DslError(
      `${where}: ${describeNode(node)} belongs to pipeline '${node.scope.pipeline.name}', not '${scope.pipeline.name}'`,
    );
  }
  if (encloses(node.scope, scope)) return;
  const inside = scopeChain(node.scope).find((s) => !encloses(s, scope));
  const group = inside?.owner;
  if (group?.type === 'loop') {
    throw new DslError(
      `${where}: ${describeNode(node)} is inside parallelFor '${group.id}'; outside the loop use collected(...) or the loop's returned outputs`,
    );
  }
  if (group?.type === 'condition') {
    throw new DslError(
      `${where}: ${describeNode(node)} is inside a branch of condition '${group.id}' and may not run; use oneOf(...) or the when() chain's returned outputs, or move this task into the branch`,
    );
  }
  throw new DslError(
    `${where}: ${describeNode(node)} is inside exit handler '${group?.id ?? '?'}' and is not visible here; depend on the exit handler group instead`,
  );
}

/** Throws unless `source` may be bound from `scope`. */
export function checkSource(source: Source, scope: Scope, where: string): void {
  switch (source.kind) {
    case 'constant':
      return;
    case 'param':
      if (source.pipeline !== scope.pipeline) {
        throw new DslError(
          `${where}: parameter '${source.name}' belongs to pipeline '${source.pipeline.name}'; inside '${scope.pipeline.name}' pass it in as an input of the sub-pipeline`,
        );
      }
      return;
    case 'output':
      checkVisibleNode(source.task, scope, where);
      return;
    case 'loopItem':
      if (!encloses(source.loop.body, scope)) {
        throw new DslError(`${where}: the item of parallelFor '${source.loop.id}' is used outside its loop`);
      }
      return;
    case 'collected':
      if (encloses(source.loop.body, scope)) {
        throw new DslError(
          `${where}: collected(...) of parallelFor '${source.loop.id}' is used inside that loop; use the task's output directly there`,
        );
      }
      checkVisibleNode(source.loop, scope, where);
      return;
    case 'oneOf':
      if (source.condition.branches.some((b) => encloses(b.scope, scope))) {
        throw new DslError(
          `${where}: oneOf(...) of condition '${source.condition.id}' is used inside one of its branches`,
        );
      }
      checkVisibleNode(source.condition, scope, where);
      return;
    case 'finalStatus':
      if (!scopeChain(scope).some((s) => s.kind === 'exitExit')) {
        throw new DslError(`${where}: finalStatus() can only be bound by the exit task of an exitHandler`);
      }
      return;
  }
}

/** Records a task for `impl` in the current scope with `args` bound and checked. */
export function callComponent<Out>(impl: ComponentImpl, args: unknown): Task<Out> {
  const scope = currentScope(`component '${impl.name}'`);
  const id = allocateId(scope.pipeline, impl.name, false);
  const fail = (message: string, input?: string): never => {
    throw new DslError(
      `task '${id}'${input === undefined ? '' : ` input '${input}'`}: ${message}`,
      input === undefined ? { task: id } : { task: id, input },
    );
  };
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    fail(`expected an object of inputs, got ${JSON.stringify(args)}`);
  }
  const inputs: Record<string, Source> = {};
  for (const [name, value] of Object.entries((args ?? {}) as Record<string, unknown>)) {
    const spec = impl.inputs[name];
    if (spec === undefined) {
      const known = Object.keys(impl.inputs);
      fail(
        `component '${impl.name}' has no such input (it has ${known.length ? known.map((k) => `'${k}'`).join(', ') : 'none'})`,
        name,
      );
      continue;
    }
    if (value === undefined) continue;
    if (value instanceof Ref) {
      const actual = value[TYPE];
      if (!assignable(actual, specType(spec)))
        fail(
          `expected a ${describeType(specType(spec))}, got a ${describeType(actual)}${describeSource(value[SOURCE])}`,
          name,
        );
      try {
        checkSource(value[SOURCE], scope, `task '${id}' input '${name}'`);
      } catch (err) {
        if (err instanceof DslError) throw new DslError(err.message, { task: id, input: name });
        throw err;
      }
      inputs[name] = value[SOURCE];
    } else {
      const constant = toJson(value, `task '${id}' input '${name}'`);
      const problem = constantFits(constant, spec);
      if (problem !== undefined) fail(problem, name);
      inputs[name] = { kind: 'constant', value: constant };
    }
  }
  const missing = Object.entries(impl.inputs)
    .filter(
      ([name, spec]) =>
        inputs[name] === undefined && !spec.optional && !(spec.kind === 'param' && spec.default !== undefined),
    )
    .map(([name, spec]) => `'${name}' (${describeType(specType(spec))})`);
  if (missing.length > 0) fail(`missing required input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const node: TaskRec = { type: 'task', id, scope, component: impl, inputs, after: [], settings: {} };
  scope.nodes.push(node);
  return new Task<Out>(node);
}

function describeSource(source: Source): string {
  switch (source.kind) {
    case 'output':
      return ` (output '${source.output}' of task '${source.task.id}')`;
    case 'param':
      return ` (pipeline parameter '${source.name}')`;
    case 'collected':
      return ` (collected output '${source.output}' of task '${source.task.id}')`;
    default:
      return '';
  }
}

export { enclosingLoops };
