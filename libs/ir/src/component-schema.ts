/**
 * The IR's leaf schemas: values, types, interfaces, bindings, command-line
 * arguments and the implementations a step runs (container, python, importer).
 * Split from `schema.ts` (which re-exports all of it and adds DAGs, groups and
 * pipelines) so a program that checks one step's component, such as the in-pod
 * launcher, loads these without the rest of the IR (`@kiln/ir/light`).
 */
import { z } from 'zod';

export const identifier = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be lowercase letters, digits and dashes (a DNS label), at most 63 characters',
  );
export const inputName = z
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

/**
 * A component schema with the given implementations: the IR's {@link componentSchema} takes
 * every kind (DAGs too), {@link stepComponentSchema} only what a launcher runs.
 *
 * @example
 * ```ts
 * const schema = componentSchemaOf(z.union([containerImplSchema, pythonImplSchema]));
 * ```
 */
export function componentSchemaOf<I extends z.ZodType>(implementation: I) {
  return z.strictObject({
    name: identifier,
    description: z.string().optional(),
    inputs: z.record(inputName, ioSpecSchema),
    outputs: z.record(inputName, ioSpecSchema),
    implementation,
  });
}

/**
 * A component a step runs (container, python or importer; never a DAG): what a staged launch
 * request holds. Accepts exactly the non-DAG components {@link componentSchema} accepts.
 */
export const stepComponentSchema = componentSchemaOf(
  z.union([containerImplSchema, pythonImplSchema, importerImplSchema]),
);
