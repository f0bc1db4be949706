/**
 * The Kiln IR, defined once with zod: the TypeScript types, the runtime parser
 * and the published JSON Schema (`ir.schema.json`) all come from these objects.
 *
 * Shape in one breath: a pipeline has typed `params`, a table of `components`
 * (interface + implementation) and a `root` DAG. A DAG is a table of nodes keyed
 * by task id (unique across the whole pipeline, nested groups included; each
 * sub-pipeline component's DAG is its own id space); a node
 * is a component task or a group (condition, loop, exit handler) holding DAGs of
 * its own. Inputs are bound to constants, parameters, upstream outputs, loop
 * items, loop fan-ins (`collected`) or `oneOf` branch outputs. Conditions are a
 * small expression AST, never source code to evaluate.
 */
import { z } from 'zod';
import {
  bindingSchema,
  componentSchemaOf,
  containerImplSchema,
  exprSchema,
  identifier,
  importerImplSchema,
  inputName,
  jsonValueSchema,
  paramSpecSchema,
  pythonImplSchema,
  type Binding,
  type Expr,
} from './component-schema';

export * from './component-schema';

/**
 * The IR version this code writes for a pipeline that uses nothing added later
 * (see `schemaVersionFor`): pipelines written before an addition keep their
 * text and digest. Readers accept the same major and any minor up to
 * {@link IR_LATEST_SCHEMA_VERSION}.
 */
export const IR_SCHEMA_VERSION = '1.0';

/**
 * The newest IR version this code reads and writes. 1.1 adds KFP's executor
 * protocol: a container's `kfp` block and the `executorInput` /
 * `executorOutputFile` placeholders (components imported from KFP YAML), so a
 * Kiln that reads only 1.0 refuses such IR as an unsupported version rather
 * than with schema errors about fields it does not know.
 */
export const IR_LATEST_SCHEMA_VERSION = '1.1';

// Nodes and DAGs are mutually recursive; their types are declared by hand and
// checked against the schemas below.

export const retryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1),
  initialBackoffSeconds: z.number().min(0),
  backoffFactor: z.number().min(1),
  maxBackoffSeconds: z.number().min(0),
  /** Which failures retry: user = non-zero exit / OOM, infrastructure = eviction, API errors, lost nodes. */
  retryOn: z.array(z.enum(['user', 'infrastructure'])),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const cachingSchema = z.strictObject({
  enabled: z.boolean(),
  /** Extra text mixed into the fingerprint: change it to invalidate. */
  key: z.string().optional(),
  maxStalenessSeconds: z.number().int().min(0).optional(),
});

const quantity = z
  .string()
  .regex(
    /^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/,
    'must be a Kubernetes quantity like "500m", "2" or "4Gi"',
  );
const requestLimit = z.strictObject({ request: quantity.optional(), limit: quantity.optional() });

export const resourcesSchema = z.strictObject({
  cpu: requestLimit.optional(),
  memory: requestLimit.optional(),
  /** GPUs: count of the extended resource (default nvidia.com/gpu). */
  gpu: z.strictObject({ count: z.number().int().min(1), resource: z.string().optional() }).optional(),
  /**
   * Only when asked for: an accelerator type the Kubernetes executor maps to a node selector on its
   * accelerator label (e.g. `cloud.google.com/gke-accelerator: nvidia-tesla-t4`). The accelerator KFP's
   * `set_accelerator_type` names (`nvidia.com/gpu`) is `gpu.resource`, a limit, not this.
   */
  accelerator: z.string().optional(),
});

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const keyToEnv = z.record(envName, z.string());

export const secretRefSchema = z.strictObject({
  name: z.string().min(1),
  /** env var name → key in the secret. */
  env: keyToEnv.optional(),
  /** Mount the whole secret as files here. */
  mountPath: z.string().optional(),
});

export const volumeSchema = z.strictObject({
  name: identifier,
  mountPath: z.string().startsWith('/'),
  readOnly: z.boolean().optional(),
  source: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('pvc'), claimName: z.string().min(1) }),
    z.strictObject({
      type: z.literal('emptyDir'),
      medium: z.enum(['', 'Memory']).optional(),
      sizeLimit: quantity.optional(),
    }),
  ]),
});

const jsonObject = z.record(z.string(), jsonValueSchema);

export const taskSettingsSchema = z.strictObject({
  displayName: z.string().optional(),
  retry: retryPolicySchema.optional(),
  caching: cachingSchema.optional(),
  timeoutSeconds: z.number().int().min(1).optional(),
  resources: resourcesSchema.optional(),
  env: z.record(envName, z.string()).optional(),
  secrets: z.array(secretRefSchema).optional(),
  configMaps: z.array(secretRefSchema).optional(),
  volumes: z.array(volumeSchema).optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  /** Kubernetes tolerations, passed through. */
  tolerations: z.array(jsonObject).optional(),
  /** Kubernetes affinity, passed through. */
  affinity: jsonObject.optional(),
  serviceAccount: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
  imagePullSecrets: z.array(z.string()).optional(),
  /** Run even if an upstream task failed (upstream outputs may then be missing). */
  ignoreUpstreamFailure: z.boolean().optional(),
});
export type TaskSettings = z.infer<typeof taskSettingsSchema>;

/** A component task: runs one component with bound inputs. */
export interface TaskNode {
  type: 'task';
  component: string;
  inputs: Record<string, Binding>;
  /** Sibling nodes (same DAG) that must settle first: data dependencies and `.after()`. */
  dependsOn: string[];
  settings: TaskSettings;
}

export interface ConditionBranch {
  /** Absent on the `otherwise` branch, which must come last. */
  when?: Expr;
  dag: Dag;
}

/** if / elif / else: the first branch whose `when` holds runs; the others are skipped. */
export interface ConditionNode {
  type: 'condition';
  dependsOn: string[];
  branches: ConditionBranch[];
}

/** parallelFor: the body DAG runs once per item. */
export interface LoopNode {
  type: 'loop';
  dependsOn: string[];
  items: Binding;
  /** At most this many iterations at once; absent = the engine's default. */
  parallelism?: number;
  body: Dag;
}

/** Runs `exit` after `body` whatever happened; exit tasks may bind `finalStatus`. */
export interface ExitHandlerNode {
  type: 'exitHandler';
  dependsOn: string[];
  body: Dag;
  exit: Dag;
}

export type Node = TaskNode | ConditionNode | LoopNode | ExitHandlerNode;

export interface Dag {
  tasks: Record<string, Node>;
}

const dependsOn = z.array(identifier);

export const dagSchema: z.ZodType<Dag> = z.lazy(() => z.strictObject({ tasks: z.record(identifier, nodeSchema) }));

export const taskNodeSchema: z.ZodType<TaskNode> = z.strictObject({
  type: z.literal('task'),
  component: identifier,
  inputs: z.record(inputName, bindingSchema),
  dependsOn,
  settings: taskSettingsSchema,
});

export const nodeSchema: z.ZodType<Node> = z.lazy(() =>
  z.union([
    taskNodeSchema,
    z.strictObject({
      type: z.literal('condition'),
      dependsOn,
      branches: z.array(z.strictObject({ when: exprSchema.optional(), dag: dagSchema })).min(1),
    }),
    z.strictObject({
      type: z.literal('loop'),
      dependsOn,
      items: bindingSchema,
      parallelism: z.number().int().min(1).optional(),
      body: dagSchema,
    }),
    z.strictObject({ type: z.literal('exitHandler'), dependsOn, body: dagSchema, exit: dagSchema }),
  ]),
);

/** A sub-pipeline used as a component: its DAG, and which task outputs are its outputs. */
export interface DagImpl {
  type: 'dag';
  dag: Dag;
  outputs: Record<string, Binding>;
}

export const dagImplSchema: z.ZodType<DagImpl> = z.strictObject({
  type: z.literal('dag'),
  dag: dagSchema,
  outputs: z.record(inputName, bindingSchema),
});

export const implementationSchema = z.union([containerImplSchema, pythonImplSchema, importerImplSchema, dagImplSchema]);
export type Implementation = z.infer<typeof implementationSchema>;

export const componentSchema = componentSchemaOf(implementationSchema);
export type Component = z.infer<typeof componentSchema>;

export const pipelineSettingsSchema = z.strictObject({
  /** Executor used when the run does not choose one. */
  executor: z.enum(['local', 'kubernetes']).optional(),
  /** Seconds a finished pod is kept before deletion. */
  podTtlSeconds: z.number().int().min(0).optional(),
  /** The whole run's timeout. */
  timeoutSeconds: z.number().int().min(1).optional(),
  /** Stop scheduling new tasks at the first failure. */
  failFast: z.boolean().optional(),
  /** Default cap on concurrently running tasks in the run. */
  parallelism: z.number().int().min(1).optional(),
});
export type PipelineSettings = z.infer<typeof pipelineSettingsSchema>;

export const pipelineSpecSchema = z.strictObject({
  schemaVersion: z.string().regex(/^[0-9]+\.[0-9]+$/, 'must be "<major>.<minor>"'),
  pipeline: z.strictObject({
    name: identifier,
    displayName: z.string().optional(),
    description: z.string().optional(),
  }),
  params: z.record(inputName, paramSpecSchema),
  settings: pipelineSettingsSchema,
  components: z.record(identifier, componentSchema),
  root: dagSchema,
  outputs: z.record(inputName, bindingSchema),
});
export type PipelineSpec = z.infer<typeof pipelineSpecSchema>;
