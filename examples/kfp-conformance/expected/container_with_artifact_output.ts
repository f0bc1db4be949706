import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'components/container_with_artifact_output',
  pipeline: 'container-with-artifact-output',
  params: ['num_epochs'],
  root: {
    'container-with-artifact-output': { task: 'container-with-artifact-output', in: { num_epochs: '$num_epochs' } },
  },
  outputs: {
    model: 'container-with-artifact-output.model',
    model_config_path: 'container-with-artifact-output.model_config_path',
  },
  placeholders: { 'container-with-artifact-output': ['inputValue', 'outputUri', 'outputMetadata', 'outputPath'] },
};
