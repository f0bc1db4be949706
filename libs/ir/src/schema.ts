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

const identifier = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be lowercase letters, digits and dashes (a DNS label), at most 63 characters',
  );
const inputName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier: letters, digits and underscores');

/** JSON values as they appear in constants and defaults. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

// ---------------------------------------------------------------------------------------------
// Types of values

export const paramTypeSchema = z.enum(['string', 'int', 'float', 'bool', 'list', 'object']);
export type ParamType = z.infer<typeof paramTypeSchema>;

export const artifactTypeSchema = z.enum([
  'artifact',
  'dataset',
  'model',
  'metrics',
  'classificationMetrics',
  'html',
  'markdown',
]);
export type ArtifactType = z.infer<typeof artifactTypeSchema>;

/** The type of a list parameter's elements (nested for lists of lists). */
export interface ItemTypeSpec {
  type: ParamType;
  items?: ItemTypeSpec;
}
export const itemTypeSpecSchema: z.ZodType<ItemTypeSpec> = z.lazy(() =>
  z.strictObject({ type: paramTypeSchema, items: itemTypeSpecSchema.optional() }),
);

export const paramSpecSchema = z.strictObject({
  kind: z.literal('param'),
  type: paramTypeSchema,
  /** For a `list`: the type of its elements (optional; absent = any JSON values). */
  items: itemTypeSpecSchema.optional(),
  default: jsonValueSchema.optional(),
  optional: z.boolean().optional(),
  enum: z.array(jsonValueSchema).optional(),
  description: z.string().optional(),
});
export type ParamSpec = z.infer<typeof paramSpecSchema>;

export const artifactSpecSchema = z.strictObject({
  kind: z.literal('artifact'),
  type: artifactTypeSchema,
  /** A list of artifacts (the input side of a fan-in). */
  list: z.boolean().optional(),
  optional: z.boolean().optional(),
  description: z.string().optional(),
});
export type ArtifactSpec = z.infer<typeof artifactSpecSchema>;

export const ioSpecSchema = z.discriminatedUnion('kind', [paramSpecSchema, artifactSpecSchema]);
export type IoSpec = z.infer<typeof ioSpecSchema>;

// ---------------------------------------------------------------------------------------------
// Bindings: where an input's value comes from

export const constantBindingSchema = z.strictObject({ kind: z.literal('constant'), value: jsonValueSchema });
/** A pipeline parameter, or inside a sub-pipeline one of its component inputs. */
export const paramBindingSchema = z.strictObject({ kind: z.literal('param'), name: inputName });
/** An output of an upstream task in scope. */
export const outputBindingSchema = z.strictObject({ kind: z.literal('output'), task: identifier, output: inputName });
/** The current item of an enclosing loop; `path` selects a field of an object item. */
export const loopItemBindingSchema = z.strictObject({
  kind: z.literal('loopItem'),
  loop: identifier,
  path: z.array(z.string()).optional(),
});
/**
 * Fan-in: the list of one output across every iteration of `loop`, in item order.
 * `task` sits in the loop body, possibly inside conditions (iterations where it was
 * skipped are left out) and nested loops (each nested loop adds a list level:
 * a list per outer iteration, of the inner iterations' values).
 */
export const collectedBindingSchema = z.strictObject({
  kind: z.literal('collected'),
  loop: identifier,
  task: identifier,
  output: inputName,
});
/** The output of whichever branch of condition group `condition` ran. */
export const oneOfBindingSchema = z.strictObject({
  kind: z.literal('oneOf'),
  condition: identifier,
  sources: z.array(outputBindingSchema).min(2),
});
/** Inside an exit handler: the final status of the group it guards. */
export const finalStatusBindingSchema = z.strictObject({ kind: z.literal('finalStatus') });

export const bindingSchema = z.discriminatedUnion('kind', [
  constantBindingSchema,
  paramBindingSchema,
  outputBindingSchema,
  loopItemBindingSchema,
  collectedBindingSchema,
  oneOfBindingSchema,
  finalStatusBindingSchema,
]);
export type Binding = z.infer<typeof bindingSchema>;
export type ConstantBinding = z.infer<typeof constantBindingSchema>;
export type ParamBinding = z.infer<typeof paramBindingSchema>;
export type OutputBinding = z.infer<typeof outputBindingSchema>;
export type LoopItemBinding = z.infer<typeof loopItemBindingSchema>;
export type CollectedBinding = z.infer<typeof collectedBindingSchema>;
export type OneOfBinding = z.infer<typeof oneOfBindingSchema>;

/** The shape of the `finalStatus` value an exit task receives. */
export const finalStatusValueSchema = z.strictObject({
  state: z.enum(['SUCCEEDED', 'FAILED', 'CANCELLED']),
  runId: z.string(),
  pipelineName: z.string(),
  failedTasks: z.array(z.string()),
  error: z.string().optional(),
  /**
   * The exit handler whose body this status describes: its node id (with the
   * sub-pipeline path, like task ids at run time). KFP's `pipelineTaskName`.
   * Absent in runs started before the engine named it.
   */
  group: z.string().optional(),
});
export type FinalStatusValue = z.infer<typeof finalStatusValueSchema>;

// ---------------------------------------------------------------------------------------------
// Conditions: a small expression AST

const operandSchema = z.discriminatedUnion('kind', [
  constantBindingSchema,
  paramBindingSchema,
  outputBindingSchema,
  loopItemBindingSchema,
]);
export type Operand = z.infer<typeof operandSchema>;

export type Expr =
  | { op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; left: Operand; right: Operand }
  | { op: 'in'; left: Operand; right: Operand }
  | { op: 'and' | 'or'; args: Expr[] }
  | { op: 'not'; arg: Expr };

export const exprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.strictObject({ op: z.enum(['eq', 'ne', 'lt', 'le', 'gt', 'ge']), left: operandSchema, right: operandSchema }),
    z.strictObject({ op: z.literal('in'), left: operandSchema, right: operandSchema }),
    z.strictObject({ op: z.enum(['and', 'or']), args: z.array(exprSchema).min(2) }),
    z.strictObject({ op: z.literal('not'), arg: exprSchema }),
  ]),
);

// ---------------------------------------------------------------------------------------------
// Components

/** A command-line element: a literal string or a placeholder resolved by the launcher. */
export type Arg =
  | string
  | { kind: 'inputValue' | 'inputPath' | 'inputUri' | 'inputMetadata'; input: string }
  | { kind: 'outputPath' | 'outputUri' | 'outputMetadata'; output: string }
  | { kind: IdentityArgKind }
  | { kind: ExecutorArgKind }
  | { kind: 'concat'; items: Arg[] }
  | { kind: 'ifPresent'; input: string; then: Arg[]; else?: Arg[] };

/**
 * Identity placeholders (KFP: `{{$.pipeline_job_name}}`...): the run id, the
 * pipeline's name, the task id, the loop iteration (indices joined by ".",
 * outermost first; empty outside loops) and the 1-based attempt number.
 */
export const identityArgKindSchema = z.enum(['runId', 'pipelineName', 'taskId', 'iteration', 'attempt']);
export type IdentityArgKind = z.infer<typeof identityArgKindSchema>;

/**
 * KFP's executor protocol (`{{$}}` and `{{$.outputs.output_file}}`): the whole
 * executor input as one JSON argument, and the path where the program writes
 * `executor_output.json`. See "KFP's executor protocol" in docs/ir.md.
 */
export const executorArgKindSchema = z.enum(['executorInput', 'executorOutputFile']);
export type ExecutorArgKind = z.infer<typeof executorArgKindSchema>;

export const argSchema: z.ZodType<Arg> = z.lazy(() =>
  z.union([
    z.string(),
    z.strictObject({ kind: z.enum(['inputValue', 'inputPath', 'inputUri', 'inputMetadata']), input: inputName }),
    z.strictObject({ kind: z.enum(['outputPath', 'outputUri', 'outputMetadata']), output: inputName }),
    z.strictObject({ kind: identityArgKindSchema }),
    z.strictObject({ kind: executorArgKindSchema }),
    z.strictObject({ kind: z.literal('concat'), items: z.array(argSchema) }),
    z.strictObject({
      kind: z.literal('ifPresent'),
      input: inputName,
      then: z.array(argSchema),
      else: z.array(argSchema).optional(),
    }),
  ]),
);

/** KFP's parameter types, as `executor_input` names them. */
export const kfpParameterTypeSchema = z.enum([
  'STRING',
  'NUMBER_INTEGER',
  'NUMBER_DOUBLE',
  'BOOLEAN',
  'LIST',
  'STRUCT',
  'TASK_FINAL_STATUS',
]);
export type KfpParameterType = z.infer<typeof kfpParameterTypeSchema>;

/** One input or output as KFP types it: a parameter type, or an artifact schema (`system.Dataset`, `0.0.1`). */
export const kfpIoTypeSchema = z.union([
  z.strictObject({ parameterType: kfpParameterTypeSchema }),
  z.strictObject({
    schemaTitle: z.string().min(1),
    schemaVersion: z.string().min(1),
    isArtifactList: z.boolean().optional(),
  }),
]);
export type KfpIoType = z.infer<typeof kfpIoTypeSchema>;

/**
 * A container component that speaks KFP's executor protocol (a component
 * imported from KFP YAML): what the launcher needs to write `executor_input`
 * exactly as KFP's driver does and to read `executor_output.json` back, and
 * cannot derive from the Kiln interface alone. See docs/ir.md.
 */
export const kfpExecutorSchema = z.strictObject({
  /** Every input by name (KFP's name = the Kiln input name) with its KFP type. */
  inputs: z.record(inputName, kfpIoTypeSchema),
  /** Every output by name with its KFP type. */
  outputs: z.record(inputName, kfpIoTypeSchema),
  /**
   * A lightweight Python component's `sh -c '... pip install ... && "$0" "$@"'`
   * bootstrap: the first `commandPrefix` command elements. Each entry of
   * `pipInstalls` is one `pip install` invocation's arguments as written; `venv`
   * when the script installs into a fresh virtualenv. An executor may run these
   * installs into a cached virtualenv and start `command.slice(commandPrefix)`.
   */
  pythonBootstrap: z
    .strictObject({
      commandPrefix: z.number().int().min(1),
      pipInstalls: z.array(z.array(z.string())),
      venv: z.boolean(),
    })
    .optional(),
});
export type KfpExecutor = z.infer<typeof kfpExecutorSchema>;

export const containerImplSchema = z.strictObject({
  type: z.literal('container'),
  image: z.string().min(1),
  command: z.array(argSchema).min(1),
  args: z.array(argSchema).optional(),
  /** Present when the program speaks KFP's executor protocol (imported from KFP YAML). */
  kfp: kfpExecutorSchema.optional(),
});

export const pythonImplSchema = z.strictObject({
  type: z.literal('python'),
  image: z.string().min(1),
  /** pip requirement strings, installed into a cached virtualenv per package set. */
  packages: z.array(z.string()),
  source: z.string().min(1),
  /** The function in `source` the shim calls. */
  entrypoint: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
});

export const importerImplSchema = z.strictObject({
  type: z.literal('importer'),
  /** Binding of the URI to import: a constant or a parameter. */
  uri: z.discriminatedUnion('kind', [constantBindingSchema, paramBindingSchema]),
  artifactType: artifactTypeSchema,
  metadata: z.record(z.string(), jsonValueSchema).optional(),
  reimport: z.boolean(),
});

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

export const componentSchema = z.strictObject({
  name: identifier,
  description: z.string().optional(),
  inputs: z.record(inputName, ioSpecSchema),
  outputs: z.record(inputName, ioSpecSchema),
  implementation: implementationSchema,
});
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
