/**
 * Port of KFP `test_data/components/container_with_artifact_output.py` (a component compiled as a
 * pipeline): output artifact URI and METADATA placeholders and an output parameter path.
 * Difference: Kiln compiles pipelines, not single components, so the port is a one-task pipeline
 * whose outputs are the task's outputs (what KFP's compiled spec says). KFP runs `sh run.sh`
 * from its image; the port does the same work inline with /bin/sh.
 */
import { artifact, component, param, pipeline } from '@kiln/dsl';

export const containerWithArtifactOutputComponent = component({
  name: 'container-with-artifact-output',
  image: 'alpine:3.20',
  inputs: { num_epochs: param.int() },
  outputs: { model: artifact.model(), model_config_path: param.string() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'echo "epochs=$2 model=$4"; mkdir -p "$(dirname "$6")" "$(dirname "$8")" && echo \'{"epochs": \'"$2"\'}\' > "$6" && printf \'%s\' "config for $2 epochs" > "$8"',
    'run.sh',
    '--epochs',
    inputs.num_epochs,
    '--model_path',
    outputs.model.uri,
    '--model_metadata',
    outputs.model.metadata,
    '--model_config_path',
    outputs.model_config_path.path,
  ],
});

export const containerWithArtifactOutput = pipeline(
  { name: 'container-with-artifact-output', params: { num_epochs: param.int() } },
  (p) => {
    const t = containerWithArtifactOutputComponent({ num_epochs: p.num_epochs });
    return { model: t.outputs.model, model_config_path: t.outputs.model_config_path };
  },
);
