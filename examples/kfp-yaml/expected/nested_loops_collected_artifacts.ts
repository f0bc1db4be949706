import type { Expectation } from '../expectation';

/** KFP compiles a Collected of artifacts out of two nested loops; Kiln collects artifacts one level at a time. */
export const expectation: Expectation = {
  feature: 'dsl.Collected of artifacts across nested loops',
  refused: [
    {
      path: 'root.dag.tasks.count.inputs.artifacts.parts.taskOutputArtifact',
      feature: 'dsl.Collected of artifacts across nested loops',
    },
  ],
};
