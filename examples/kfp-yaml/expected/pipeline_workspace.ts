import type { Expectation } from '../expectation';

/** A run-wide workspace volume and the workspace path placeholder have no Kiln equivalent. */
export const expectation: Expectation = {
  feature: 'dsl.PipelineConfig workspace, WORKSPACE_PATH_PLACEHOLDER',
  kind: 'pipeline+platform',
  refused: [
    {
      path: 'root.dag.tasks.write.inputs.parameters.path.runtimeValue',
      feature: 'dsl.WORKSPACE_PATH_PLACEHOLDER (pipeline workspaces)',
    },
    {
      path: 'platforms.kubernetes.pipelineConfig.workspace',
      feature: 'dsl.PipelineConfig(workspace=...) (pipeline workspaces)',
    },
  ],
};
