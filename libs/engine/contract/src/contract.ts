/**
 * The contract between the interpreter workflow and the executors' activities.
 * Workflow code imports this file for types only; activities implement it.
 * Everything here crosses Temporal's payload boundary, so it is plain JSON.
 */
import type { ArtifactType, Component, JsonValue, ParamType, TaskSettings } from '@kiln/ir';
import type { z } from 'zod';
import type { artifactRefSchema, executorKindSchema } from './schemas/status';
import type { stepResultSchema } from './schemas/step';

/** An artifact as the engine passes it between tasks (uri, type, `sha256:` digest, metadata). */
export type ArtifactRef = z.infer<typeof artifactRefSchema>;

/** Which executor runs steps. */
export type ExecutorKind = z.infer<typeof executorKindSchema>;

/**
 * One attempt of one task, fully resolved: the executor needs nothing else from
 * the workflow. The workflow names the attempt (run, task path, iteration,
 * attempt number) and the run's `artifactRoot`; every store location of the
 * attempt (its execution key, its output artifact URIs) is derived from these by
 * `@kiln/store-layout` in the executor, so the store's layout is decided in one
 * place and workflow code computes no store formats.
 */
export interface StepRequest {
  runId: string;
  workflowId: string;
  pipelineName: string;
  /**
   * The task's id in the run, as in the status document: the bare id at the
   * pipeline's root, behind the path of the enclosing sub-pipeline tasks inside
   * one (`inner-pipeline/print-op1`). May therefore contain "/".
   */
  taskId: string;
  /** Loop indices from the outermost loop inward; empty outside loops. */
  iteration: number[];
  /** 1-based attempt number as the workflow counts it (user-failure retries). */
  attempt: number;
  /** Base URI of the run's outputs (`RunContext.artifactRoot`, no trailing slash). */
  artifactRoot: string;
  /** What the Temporal UI shows for this step, e.g. "train-model [3/10]". */
  summary: string;
  componentId: string;
  /** A container or python component (importers and sub-pipelines never reach an executor). */
  component: Component;
  inputs: {
    params: Record<string, JsonValue>;
    artifacts: Record<string, ArtifactRef | ArtifactRef[]>;
  };
  outputs: {
    params: Record<string, ParamType>;
    /** The output artifacts' types; where each goes follows from the attempt's identity (`@kiln/store-layout`). */
    artifacts: Record<string, { type: ArtifactType }>;
  };
  settings: TaskSettings;
  executor: ExecutorKind;
  /**
   * Seconds a failed step's pod is kept (for `kubectl describe` and logs)
   * before deletion; succeeded pods go at once. The pipeline's
   * `settings.podTtlSeconds`, absent when the pipeline does not set it (the
   * executor's default applies). Only the Kubernetes executor uses it.
   */
  podTtlSeconds?: number;
}

/**
 * A step request as workflow histories recorded before {@link StepRequest} carried
 * `artifactRoot`: the workflow chose the execution key and every output URI
 * itself. An in-flight run's retried activity still delivers this shape, so
 * executors accept both and keep what it names (`locateStep` of `@kiln/store-layout`).
 */
export interface LegacyStepRequest extends Omit<StepRequest, 'artifactRoot' | 'outputs'> {
  /** `<runId>.<taskId>[.<iteration joined by "-">].<attempt>`, as the workflow made it. */
  executionKey: string;
  outputs: {
    params: Record<string, ParamType>;
    artifacts: Record<string, { uri: string; type: ArtifactType }>;
  };
}

/** What a successful step produced. */
export type StepResult = z.infer<typeof stepResultSchema>;
