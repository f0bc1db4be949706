/**
 * Port of KFP `two_step_pipeline_containerized.py`: two container components passing a dataset
 * through output-path and input-path placeholders.
 */
import { artifact, component, param, pipeline } from '@kiln/dsl';

const component1 = component({
  name: 'component1',
  image: 'alpine:3.20',
  inputs: { text: param.string() },
  outputs: { output_gcs: artifact.dataset() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'mkdir -p "$(dirname "$1")" && echo "$0" > "$1"',
    inputs.text,
    outputs.output_gcs.path,
  ],
});

const component2 = component({
  name: 'component2',
  image: 'alpine:3.20',
  inputs: { input_gcs: artifact.dataset() },
  command: ({ inputs }) => ['cat', inputs.input_gcs.path],
});

export const twoStepPipelineContainerized = pipeline(
  { name: 'containerized-two-step-pipeline', params: { text: param.string() } },
  (p) => {
    const c1 = component1({ text: p.text });
    component2({ input_gcs: c1.outputs.output_gcs });
  },
);
