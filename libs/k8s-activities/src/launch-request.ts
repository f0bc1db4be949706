/**
 * The launcher's view of a step: what the worker stages in the store for the
 * pod's launcher containers, and what it resolves the main container's command
 * from. Both must see the same request, or the paths in the command would not
 * be the ones the fetch phase fills.
 */
import type { StepRequest } from '@kiln/engine';
import type { LaunchRequest } from '@kiln/launcher';

/**
 * The launcher's request for a step: the engine's request minus what only the engine needs.
 *
 * @example
 * ```ts
 * await store.writeJson(podRequestKey(req.executionKey), toLaunchRequest(req));
 * ```
 */
export function toLaunchRequest(req: StepRequest): LaunchRequest {
  return {
    executionKey: req.executionKey,
    component: req.component,
    inputs: req.inputs,
    outputs: req.outputs,
    identity: { runId: req.runId, pipelineName: req.pipelineName, taskId: req.taskId, iteration: req.iteration, attempt: req.attempt },
    ...(req.settings.env && { env: req.settings.env }),
    ...(req.settings.timeoutSeconds && { timeoutSeconds: req.settings.timeoutSeconds }),
  };
}
