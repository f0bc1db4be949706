/**
 * Validation errors are data: a stable code, a JSON path into the document and a
 * sentence for a person. Callers branch on `code`, show `message`, and point at
 * `path` (and `line`/`column` when the spec came from text).
 */

/** Every code the validator can return. Stable: tools may branch on them. */
export const IR_ERROR_CODES = [
  /** The text is neither valid JSON nor valid YAML. */
  'syntax',
  /** The input exceeds a limit checked before parsing (nesting depth, YAML tokens or aliases; see `InputLimits`). */
  'input-limit',
  /** The document does not match the schema (wrong type, unknown field, bad format...). */
  'schema',
  /** `schemaVersion` is newer than (or a different major from) what this Kiln reads. */
  'unsupported-version',
  /** The spec uses something added after its `schemaVersion` (KFP's executor protocol needs 1.1). */
  'version-too-old',
  /** Two nodes in one scope (the pipeline, or one sub-pipeline component) share an id. */
  'duplicate-task-id',
  /** A task names a component that is not in `components`. */
  'unknown-component',
  /** A sub-pipeline component uses itself, directly or through others. */
  'component-cycle',
  /** A task binds an input its component does not declare. */
  'unknown-input',
  /** A required component input has neither a binding nor a default. */
  'missing-input',
  /** A `param` binding names a parameter (or sub-pipeline input) that does not exist. */
  'unknown-param',
  /** A reference names a task or group that does not exist or is not in scope. */
  'dangling-reference',
  /** A referenced task exists but its component has no such output. */
  'unknown-output',
  /** A sub-pipeline component declares an output that its `outputs` do not bind. */
  'missing-output',
  /** A value's type does not fit where it goes. */
  'type-mismatch',
  /** Siblings depend on each other in a circle (through `dependsOn` or data). */
  'cycle',
  /** `dependsOn` names something that is not a sibling in the same DAG. */
  'dependency-not-sibling',
  /** A `loopItem` binding names a loop that does not enclose it. */
  'loop-item-outside-loop',
  /** A `collected` binding names a loop that encloses it, or a task outside that loop's body (or inside an exit handler in it). */
  'collected-outside',
  /** `oneOf` sources do not come from different branches of the named condition. */
  'oneof-not-exclusive',
  /** A `finalStatus` binding outside an exit handler's `exit` DAG. */
  'final-status-outside-exit',
  /** A condition branch without `when` that is not the last branch. */
  'otherwise-not-last',
  /** A constant or default is not one of the parameter's `enum` values. */
  'enum-violation',
  /** A parameter default does not have the parameter's type. */
  'default-type-mismatch',
  /** A command placeholder names an input the component does not declare. */
  'placeholder-unknown-input',
  /** A command placeholder names an output the component does not declare. */
  'placeholder-unknown-output',
  /** A placeholder does not fit its input/output kind (e.g. `inputPath` of a parameter). */
  'placeholder-kind-mismatch',
  /** A container's `kfp` block does not describe the component's inputs and outputs (names, kinds, types). */
  'kfp-interface-mismatch',
] as const;

export type IrErrorCode = (typeof IR_ERROR_CODES)[number];

/** One problem found in an IR document. */
export interface IrError {
  readonly code: IrErrorCode;
  /** JSON path of the offending value, e.g. `$.root.tasks.train.inputs.dataset`. */
  readonly path: string;
  readonly message: string;
  /** The file the spec was read from, when known. */
  readonly source?: string;
  /** 1-based position in the source text, when the spec was parsed from text. */
  readonly line?: number;
  readonly column?: number;
}

/** The answer of {@link validateSpec} and {@link parseSpec}. */
export type ValidationResult<T> = { ok: true; spec: T } | { ok: false; errors: IrError[] };

/** `file.yaml:12:5: $.root.tasks.train: message [code]`, for terminals and logs. */
export function formatIrError(error: IrError): string {
  let where = error.source ?? '';
  if (error.line !== undefined) where += `${where ? ':' : 'line '}${error.line}:${error.column ?? 1}`;
  return `${where ? `${where}: ` : ''}${error.path}: ${error.message} [${error.code}]`;
}

/**
 * Thrown by {@link assertValidSpec}: carries every error, and is never worth
 * retrying (the same document fails the same way).
 */
export class InvalidSpecError extends Error {
  override readonly name = 'InvalidSpecError';
  readonly nonRetryable = true;
  constructor(readonly errors: readonly IrError[]) {
    super(
      `Invalid pipeline IR (${errors.length} error${errors.length === 1 ? '' : 's'}):\n` +
        errors.map((e) => `  ${formatIrError(e)}`).join('\n'),
    );
  }
}
