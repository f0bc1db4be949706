/**
 * `@kiln/dsl`: write Kiln pipelines in TypeScript and compile them to the IR.
 *
 * - **Definitions**: {@link param} and {@link artifact} describe inputs and outputs.
 * - **Components**: {@link component} (any container), {@link python} (a Python
 *   function, KFP-lightweight style), {@link importer} (an existing URI as an
 *   artifact), {@link loadComponent} (from IR JSON/YAML), and every
 *   {@link pipeline} is a component too (nesting).
 * - **Pipelines**: {@link pipeline} runs its body once, recording tasks; calling a
 *   component returns a {@link Task} with typed `outputs` and fluent settings
 *   (`.retry()`, `.caching()`, `.timeout()`, `.resources()`, `.env()`,
 *   `.secret()`, `.volume()`, `.after()`, `.ignoreUpstreamFailure()`...).
 * - **Control flow**: {@link when} / `.elseWhen` / `.otherwise` with {@link and},
 *   {@link or}, {@link not}; {@link parallelFor} with {@link collected};
 *   {@link oneOf}; {@link exitHandler} with {@link finalStatus}.
 * - **Compiling**: {@link compile} → `PipelineSpec` (validated; throws
 *   {@link CompileError} listing every problem). Same source → byte-identical
 *   `canonicalize(spec)`. `kiln compile file.ts` does the same from the shell.
 *
 * Miswiring is a TypeScript error: a model into a dataset input, a string
 * parameter into an int input, a missing required input. Mistakes TypeScript
 * cannot see (a loop item used outside its loop, `oneOf` over one branch, a bad
 * duration) throw a {@link DslError} at once, naming the task and input.
 *
 * @example
 * ```ts
 * import { artifact, compile, component, param, pipeline, python, when } from '@kiln/dsl';
 *
 * const loadData = python({
 *   name: 'load-data',
 *   packages: ['pandas', 'scikit-learn'],
 *   inputs: { source: param.string() },
 *   outputs: { dataset: artifact.dataset() },
 *   source: `
 *     def load(source, dataset):
 *         import pandas as pd
 *         pd.read_csv(source).to_csv(dataset.path, index=False)
 *   `,
 * });
 *
 * const trainModel = python({
 *   name: 'train-model',
 *   packages: ['pandas', 'scikit-learn'],
 *   inputs: { dataset: artifact.dataset(), trees: param.int({ default: 100 }) },
 *   outputs: { model: artifact.model(), accuracy: param.float() },
 *   source: `
 *     def train(dataset, trees, model):
 *         ...
 *         return {"accuracy": acc}
 *   `,
 * });
 *
 * const deploy = component({
 *   name: 'deploy',
 *   image: 'ghcr.io/acme/deploy:1.0',
 *   inputs: { model: artifact.model(), endpoint: param.string() },
 *   command: ({ inputs }) => ['deploy', '--model', inputs.model.path, '--to', inputs.endpoint],
 * });
 *
 * export const training = pipeline({
 *   name: 'training-pipeline',
 *   params: {
 *     dataUrl: param.string({ default: 'sklearn:breast_cancer' }),
 *     minAccuracy: param.float({ default: 0.85 }),
 *     endpoint: param.string({ default: '/tmp/kiln-models' }),
 *   },
 * }, (p) => {
 *   const load = loadData({ source: p.dataUrl });
 *   const train = trainModel({ dataset: load.outputs.dataset })
 *     .retry({ maxAttempts: 3, backoff: '10s' })
 *     .resources({ cpu: '2', memory: '4Gi' });
 *   when(train.outputs.accuracy.ge(p.minAccuracy), () => {
 *     deploy({ model: train.outputs.model, endpoint: p.endpoint });
 *   });
 *   // deploy({ model: load.outputs.dataset, ... })  ← TypeScript error: a dataset is not a model
 * });
 *
 * const spec = compile(training); // PipelineSpec, validated
 * ```
 *
 * @packageDocumentation
 */
export {
  param,
  artifact,
  type ParamDef,
  type ArtifactDef,
  type IoDef,
  type IoDefs,
  type ParamOptions,
  type ParamValues,
} from './io';
export {
  component,
  python,
  importer,
  type Component,
  type ContainerOptions,
  type PythonOptions,
  type ImporterOptions,
} from './component';
export {
  pipeline,
  isPipeline,
  type Pipeline,
  type AnyPipeline,
  type PipelineOptions,
  type PipelineSettingsOptions,
  type PipelineOutputDefs,
} from './pipeline';
export { loadComponent, type LooseComponent } from './load';
export {
  Task,
  type Dependable,
  type RetryOptions,
  type CachingOptions,
  type ResourceOptions,
  type RequestLimit,
  type MountOptions,
  type VolumeOptions,
  type Toleration,
} from './task';
export {
  when,
  oneOf,
  parallelFor,
  collected,
  exitHandler,
  finalStatus,
  after,
  WhenChain,
  Loop,
  ExitHandler,
  type FinalStatus,
  type GroupOutputs,
  type ChainOutputs,
  type LoopOutputs,
  type LoopItems,
  type LoopItem,
  type LoopOptions,
  type Collected,
} from './control';
export {
  and,
  or,
  not,
  Condition,
  ParamRef,
  ArtifactRef,
  ArtifactListRef,
  LooseRef,
  type AnyRef,
  type ItemRef,
  type ValueKind,
  type Comparand,
} from './refs';
export {
  concat,
  ifPresent,
  runId,
  pipelineName,
  taskId,
  iteration,
  attempt,
  Placeholder,
  InputValue,
  ArtifactInput,
  ParamOutput,
  ArtifactOutput,
  type CommandArg,
  type CommandContext,
  type InputPlaceholders,
  type OutputPlaceholders,
} from './placeholders';
export { compile, compileToJson, compileToYaml } from './compile';
export { DslError, CompileError, type CompileProblem } from './errors';
export type { Duration, Quantity } from './durations';
export type { Accepts, TaskArgs, OutputRefs, RefOf, DefOf, ParamRefs, Simplify } from './types';
