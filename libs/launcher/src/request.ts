/**
 * The launcher protocol: what a step needs to run (a {@link LaunchRequest}) and
 * what it leaves behind (an {@link ExecutorOutput} record in the store). Plain
 * JSON, so the same request works for a local child process and, later, a pod.
 * The engine's `StepRequest` is a superset of `LaunchRequest`.
 */
import type { ArtifactType, Component, JsonValue, ParamType } from '@kiln/ir';

/** An input or output artifact as the launcher sees it. */
export interface LaunchArtifact {
  uri: string;
  type: ArtifactType;
  /** `sha256:<hex>`, as recorded when it was written. */
  digest?: string;
  metadata: Record<string, JsonValue>;
}

/** The run, task, loop position and attempt of a step. */
export interface StepIdentity {
  runId: string;
  pipelineName: string;
  taskId: string;
  /** Loop indices, outermost first; empty outside loops. */
  iteration: number[];
  /** 1-based. */
  attempt: number;
}

/**
 * One attempt of one step, fully resolved.
 *
 * @example
 * ```ts
 * const request: LaunchRequest = {
 *   executionKey: 'training/run-1/train/a1',
 *   component,                                   // a container or python component from the IR
 *   inputs: { params: { nEstimators: 10 }, artifacts: { dataset: { uri, type: 'dataset', metadata: {} } } },
 *   outputs: { params: { accuracy: 'float' }, artifacts: { model: { uri: store.uriFor('runs/1/model'), type: 'model' } } },
 * };
 * ```
 */
export interface LaunchRequest {
  /** Identity of the attempt; the executor-output record and the log live under `executions/<executionKey>/`. */
  executionKey: string;
  component: Component;
  inputs: {
    params: Record<string, JsonValue>;
    artifacts: Record<string, LaunchArtifact | LaunchArtifact[]>;
  };
  outputs: {
    params: Record<string, ParamType>;
    artifacts: Record<string, { uri: string; type: ArtifactType }>;
  };
  /** Who is running: what the identity placeholders (`runId`, `taskId`...) resolve to. */
  identity?: StepIdentity;
  /** Extra environment variables for the command. */
  env?: Record<string, string>;
  /** Kill the command after this long and fail with reason `DeadlineExceeded`. */
  timeoutSeconds?: number;
}

/** The record a successful step leaves at `executions/<executionKey>/executor-output.json`. */
export interface ExecutorOutput {
  executionKey: string;
  exitCode: number;
  startedAt: string;
  finishedAt: string;
  logUri: string;
  outputs: {
    params: Record<string, JsonValue>;
    artifacts: Record<string, LaunchArtifact>;
  };
  /** Metadata of each metrics / classificationMetrics output, by output name. */
  metrics: Record<string, Record<string, JsonValue>>;
}

/**
 * What {@link toLaunchRequest} reads from an executor's step: the fields the
 * engine's `StepRequest` has (the launcher does not depend on the engine, so it
 * names them here; any `StepRequest` fits).
 */
export interface StepFields
  extends Pick<LaunchRequest, 'executionKey' | 'component' | 'inputs' | 'outputs'>, StepIdentity {
  settings: { env?: Record<string, string>; timeoutSeconds?: number };
}

/**
 * The launcher's request for a step: the engine's request minus what only the
 * engine needs. Both executors send exactly this (the local one to `runStep`,
 * the Kubernetes one to the store for the pod).
 *
 * @example
 * ```ts
 * await runStep(toLaunchRequest(stepRequest), { store, workDir });
 * ```
 */
export function toLaunchRequest(step: StepFields): LaunchRequest {
  return {
    executionKey: step.executionKey,
    component: step.component,
    inputs: step.inputs,
    outputs: step.outputs,
    identity: {
      runId: step.runId,
      pipelineName: step.pipelineName,
      taskId: step.taskId,
      iteration: step.iteration,
      attempt: step.attempt,
    },
    ...(step.settings.env && { env: step.settings.env }),
    ...(step.settings.timeoutSeconds && { timeoutSeconds: step.settings.timeoutSeconds }),
  };
}
