/**
 * KFP's `executor_input` (the `{{$}}` argument), built as KFP's driver builds
 * it: parameter values, input artifacts with URI and metadata, output artifacts
 * and output parameter files, and where `executor_output.json` goes. See "KFP's
 * executor protocol" in docs/ir.md.
 */
import type { ArtifactType, Component, FinalStatusValue, JsonValue, KfpExecutor, KfpIoType } from '@kiln/ir';
import { finalStatusValueSchema } from '@kiln/ir/light';
import { configurationError } from '../errors';
import type { WorkLayout } from '../layout';
import type { LaunchArtifact, LaunchRequest } from '../request';
import { kfpExecutorOutputFile, kfpRuntimeUri } from './local-paths';

/** One artifact as KFP's runtime reads it (`RuntimeArtifact` in KFP's protos). */
export interface KfpRuntimeArtifact {
  name: string;
  type: { schemaTitle: string; schemaVersion: string };
  uri: string;
  metadata: Record<string, JsonValue>;
}

/** The JSON KFP programs get as `--executor_input`. */
export interface KfpExecutorInput {
  inputs: {
    parameterValues: Record<string, JsonValue>;
    artifacts: Record<string, { artifacts: KfpRuntimeArtifact[] }>;
  };
  outputs: {
    parameters: Record<string, { outputFile: string }>;
    artifacts: Record<string, { artifacts: KfpRuntimeArtifact[] }>;
    outputFile: string;
  };
}

/** What the builder reads: the request, where its files are, and where its inputs were staged. */
export interface ExecutorInputSource {
  request: LaunchRequest;
  layout: WorkLayout;
  /** Local copies of the input artifacts by name (a list input has one path per item). */
  localInputs: Record<string, string | string[]>;
}

const kilnTypeTitles: Record<ArtifactType, string> = {
  artifact: 'system.Artifact',
  dataset: 'system.Dataset',
  model: 'system.Model',
  metrics: 'system.Metrics',
  classificationMetrics: 'system.ClassificationMetrics',
  html: 'system.HTML',
  markdown: 'system.Markdown',
};

// google.rpc.Code values KFP's driver writes into a final status's error.
const rpcCodeFailedPrecondition = 9;
const rpcCodeCancelled = 1;

/**
 * Builds `executor_input` for a step whose command has the `executorInput` placeholder.
 *
 * @example
 * ```ts
 * const input = buildExecutorInput({ request, layout, localInputs });
 * input.outputs.artifacts.model.artifacts[0].uri; // '/tmp/kiln/step/outputs/model/model' on the local executor
 * ```
 */
export function buildExecutorInput(source: ExecutorInputSource): KfpExecutorInput {
  const { request, layout } = source;
  const { component } = request;
  const kfp = kfpBlock(component);
  const parameterValues: Record<string, JsonValue> = {};
  const inputArtifacts: KfpExecutorInput['inputs']['artifacts'] = {};
  for (const [name, spec] of Object.entries(component.inputs)) {
    const ioType = kfp.inputs[name];
    if (spec.kind === 'param') {
      const value = request.inputs.params[name] ?? spec.default;
      // As KFP's driver: an input with neither a value nor a default is left out, so the function's default applies.
      if (value === undefined) continue;
      parameterValues[name] = isFinalStatus(ioType) ? kfpFinalStatus(value, request, name) : value;
      continue;
    }
    const given = request.inputs.artifacts[name];
    if (given === undefined) continue;
    const items = Array.isArray(given) ? given : [given];
    const local = source.localInputs[name];
    const paths = Array.isArray(local) ? local : [local];
    inputArtifacts[name] = {
      artifacts: items.map((artifact, i) => runtimeArtifact(name, artifact, ioType, paths[i] ?? artifact.uri)),
    };
  }
  const outputArtifacts: KfpExecutorInput['outputs']['artifacts'] = {};
  for (const [name, out] of Object.entries(request.outputs.artifacts)) {
    const path = layout.outputArtifact(name, out.uri);
    outputArtifacts[name] = {
      artifacts: [runtimeArtifact(name, { ...out, metadata: {} }, kfp.outputs[name], path)],
    };
  }
  const parameters = Object.fromEntries(
    Object.keys(request.outputs.params).map((name) => [name, { outputFile: layout.outputParamFile(name) }]),
  );
  return {
    inputs: { parameterValues, artifacts: inputArtifacts },
    outputs: { parameters, artifacts: outputArtifacts, outputFile: kfpExecutorOutputFile(layout) },
  };
}

/** The component's `kfp` block; without one, KFP types follow from the Kiln interface. */
function kfpBlock(component: Component): KfpExecutor {
  const impl = component.implementation;
  if (impl.type === 'container' && impl.kfp) return impl.kfp;
  return { inputs: {}, outputs: {} };
}

function isFinalStatus(ioType: KfpIoType | undefined): boolean {
  return ioType !== undefined && 'parameterType' in ioType && ioType.parameterType === 'TASK_FINAL_STATUS';
}

function runtimeArtifact(
  name: string,
  artifact: LaunchArtifact | (Omit<LaunchArtifact, 'metadata'> & { metadata: Record<string, JsonValue> }),
  ioType: KfpIoType | undefined,
  path: string,
): KfpRuntimeArtifact {
  const type =
    ioType && 'schemaTitle' in ioType
      ? { schemaTitle: ioType.schemaTitle, schemaVersion: ioType.schemaVersion }
      : { schemaTitle: kilnTypeTitles[artifact.type], schemaVersion: '0.0.1' };
  return { name, type, uri: kfpRuntimeUri(artifact.uri, path), metadata: artifact.metadata ?? {} };
}

/**
 * Kiln's final status → the struct KFP's driver passes for `PipelineTaskFinalStatus`:
 * `{ state, pipelineJobResourceName, pipelineTaskName, error: { code?, message? } }`.
 *
 * @example
 * ```ts
 * kfpFinalStatus({ state: 'FAILED', runId: 'r1', pipelineName: 'p', failedTasks: ['t'], error: 'failed tasks: t', group: 'exit-handler-1' }, request, 'status')
 * // { state: 'FAILED', pipelineJobResourceName: 'r1', pipelineTaskName: 'exit-handler-1', error: { code: 9, message: 'failed tasks: t' } }
 * ```
 */
export function kfpFinalStatus(value: JsonValue, request: LaunchRequest, input: string): JsonValue {
  const parsed = finalStatusValueSchema.safeParse(value);
  if (!parsed.success) {
    throw configurationError(
      `input "${input}" of component "${request.component.name}" is typed TASK_FINAL_STATUS but is not bound to finalStatus (got ${JSON.stringify(value)})`,
      'InvalidFinalStatus',
    );
  }
  const status: FinalStatusValue = parsed.data;
  const error: Record<string, JsonValue> =
    status.state === 'SUCCEEDED'
      ? {}
      : {
          code: status.state === 'CANCELLED' ? rpcCodeCancelled : rpcCodeFailedPrecondition,
          message: status.error ?? `the tasks ${status.failedTasks.join(', ')} failed`,
        };
  return {
    state: status.state,
    pipelineJobResourceName: status.runId,
    pipelineTaskName: status.group ?? '',
    error,
  };
}
