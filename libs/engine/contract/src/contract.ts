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

/** One attempt of one task, fully resolved: the executor needs nothing else from the workflow. */
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
  /**
   * Deterministic identity of this attempt, e.g. for pod names and record keys:
   * `<runId>.<taskId>[.<iteration joined by "-">].<attempt>`. Unique in the run,
   * since `taskId` carries the sub-pipeline path.
   */
  executionKey: string;
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
    /** The engine chooses every output URI so a retry or a crash never loses track of them. */
    artifacts: Record<string, { uri: string; type: ArtifactType }>;
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

/** What a successful step produced. */
export type StepResult = z.infer<typeof stepResultSchema>;
