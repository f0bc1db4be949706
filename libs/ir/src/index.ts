/**
 * `@kiln/ir`: the Kiln pipeline IR — the versioned JSON document the DSL
 * compiler writes and the engine interprets.
 *
 * - **Types and schema**: {@link PipelineSpec} and friends, inferred from the zod
 *   definitions ({@link pipelineSpecSchema}); {@link IR_SCHEMA_VERSION} is the
 *   version this code writes. The published JSON Schema is `libs/ir/ir.schema.json`.
 * - **Validation**: {@link validateSpec} checks shape and meaning (references,
 *   scopes, types, cycles) and returns every error with a code and a JSON path.
 * - **Canonical form**: {@link canonicalize} (JSON) and {@link toYaml} give the same
 *   bytes for equal specs; {@link parseSpec} reads JSON or YAML back.
 * - **Helpers for interpreters**: {@link walkNodes}, {@link rootScope},
 *   {@link componentScope}, {@link componentOf}, {@link outputSpec},
 *   {@link bindingType}, {@link siblingDependencies}.
 * - **Run parameters**: {@link checkParamValues} checks values against a
 *   pipeline's declarations (the API, the client and the interpreter share it).
 *
 * This entry point is safe for Temporal workflow code: no Node built-ins, no
 * I/O. The digest and file helpers live in `@kiln/ir/node`.
 *
 * @example
 * ```ts
 * import { canonicalize, IR_SCHEMA_VERSION, validateSpec, type PipelineSpec } from '@kiln/ir';
 *
 * const spec: PipelineSpec = {
 *   schemaVersion: IR_SCHEMA_VERSION,
 *   pipeline: { name: 'hello' },
 *   params: { who: { kind: 'param', type: 'string', default: 'world' } },
 *   settings: {},
 *   components: {
 *     echo: {
 *       name: 'echo',
 *       inputs: { text: { kind: 'param', type: 'string' } },
 *       outputs: {},
 *       implementation: {
 *         type: 'container',
 *         image: 'alpine:3.20',
 *         command: ['echo', { kind: 'inputValue', input: 'text' }],
 *       },
 *     },
 *   },
 *   root: {
 *     tasks: {
 *       greet: {
 *         type: 'task',
 *         component: 'echo',
 *         inputs: { text: { kind: 'param', name: 'who' } },
 *         dependsOn: [],
 *         settings: {},
 *       },
 *     },
 *   },
 *   outputs: {},
 * };
 *
 * const result = validateSpec(spec);
 * if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
 * process.stdout.write(canonicalize(result.spec)); // {"schemaVersion": "1.0", ... sorted keys
 * ```
 *
 * @packageDocumentation
 */
export * from './schema';
export { canonicalize, canonicalJson, canonicalCopy, compareCodePoints, toYaml } from './canonical';
export { inputLimitError, parseSpec, type ParseOptions } from './parse';
export { validateSpec, assertValidSpec, type ValidateOptions } from './validate';
export {
  DEFAULT_INPUT_LIMITS,
  inputLimits,
  jsonTextDepthProblem,
  valueDepthProblem,
  type InputLimitProblem,
  type InputLimits,
} from './input-limits';
export { screenInputText, yamlTextProblem, type ScreenedText } from './yaml-limits';
export {
  IR_ERROR_CODES,
  InvalidSpecError,
  formatIrError,
  type IrError,
  type IrErrorCode,
  type ValidationResult,
} from './errors';
export { jsonPath, type PathSegment } from './json-path';
export { isSupportedVersion, parseVersion, schemaVersionFor, usesKfpProtocol, versionAtLeast } from './version';
export {
  childDags,
  componentOf,
  componentScope,
  inputSpec,
  outputSpec,
  rootScope,
  visibleDepth,
  walkDag,
  walkNodes,
  type DagPart,
  type DagScope,
  type GroupNode,
  type NodeVisit,
  type ScopeFrame,
} from './walk';
export { bindingType, bindingsOf, siblingDependencies, type BindingSite, type DependencyMap } from './resolve';
export { constantType, describeType, ioValueType, isAssignable, type ValueType } from './value-types';
export {
  checkParamValues,
  describeParamProblems,
  matchesParamType,
  sameJson,
  type ParamProblem,
  type ParamValuesCheck,
} from './param-values';
export { IR_SCHEMA_ID, irJsonSchema, irJsonSchemaText } from './json-schema';
export { KFP_PARAMETER_TYPES } from './kfp-executor';
