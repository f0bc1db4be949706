/**
 * The launcher protocol: what a step needs to run (a {@link LaunchRequest}) and
 * what it leaves behind (an {@link ExecutorOutput} record in the store). Plain
 * JSON, so the same request works for a local child process and a pod. The
 * types are inferred from the record schemas of `@kiln/store-layout`, which
 * every reader of the store parses them with. An executor's located step
 * (`locateStep` of `@kiln/store-layout`) is a superset of `LaunchRequest`.
 */
import type {
  executorOutputSchema,
  launchArtifactSchema,
  launchRequestSchema,
  stepIdentitySchema,
} from '@kiln/store-layout';
import type { z } from 'zod';

/** An input or output artifact as the launcher sees it. */
export type LaunchArtifact = z.infer<typeof launchArtifactSchema>;

/** The run, task, loop position and attempt of a step. */
export type StepIdentity = z.infer<typeof stepIdentitySchema>;

/**
 * One attempt of one step, fully resolved. Its schema is `launchRequestSchema`
 * of `@kiln/store-layout`: the Kubernetes executor stages it in the store for the pod.
 *
 * @example
 * ```ts
 * const request: LaunchRequest = {
 *   executionKey: 'kiln-training-01j.train.1',
 *   component,                                   // a container or python component from the IR
 *   inputs: { params: { nEstimators: 10 }, artifacts: { dataset: { uri, type: 'dataset', metadata: {} } } },
 *   outputs: { params: { accuracy: 'float' }, artifacts: { model: { uri: store.uriFor('runs/1/model'), type: 'model' } } },
 * };
 * ```
 */
export type LaunchRequest = z.infer<typeof launchRequestSchema>;

/** The record a successful step leaves at `executorOutputKey(executionKey)` (`executorOutputSchema`). */
export type ExecutorOutput = z.infer<typeof executorOutputSchema>;

/**
 * What {@link toLaunchRequest} reads from an executor's step: the fields of the
 * engine's request once its store locations are resolved (`locateStep` of
 * `@kiln/store-layout`; any `LocatedStep` fits).
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
 * await runStep(toLaunchRequest(locateStep(stepRequest)), { store, workDir });
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
