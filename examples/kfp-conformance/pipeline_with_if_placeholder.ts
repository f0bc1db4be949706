/**
 * Port of KFP `pipeline_with_if_placeholder.py`: IfPresent placeholders with and without an else
 * branch over optional inputs; one optional input left unbound (KFP: component from YAML).
 */
import { component, ifPresent, param, pipeline } from '@kiln/dsl';

const componentWithOptionalInputs = component({
  name: 'component-with-optional-inputs',
  image: 'alpine:3.20',
  inputs: {
    required_input: param.string(),
    optional_input_1: param.string({ optional: true }),
    optional_input_2: param.string({ optional: true }),
  },
  command: () => ['sh', '-c', 'for a in "$@"; do echo "$a"; done', 'args'],
  args: ({ inputs }) => [
    '--arg0',
    inputs.required_input,
    ifPresent(inputs.optional_input_1, ['--arg1', inputs.optional_input_1]),
    ifPresent(inputs.optional_input_2, ['--arg2', inputs.optional_input_2], ['--arg3', 'default value']),
  ],
});

export const pipelineWithIfPlaceholder = pipeline(
  {
    name: 'one-step-pipeline-with-if-placeholder',
    params: { input0: param.string(), input1: param.string(), input2: param.string() },
  },
  (p) => {
    componentWithOptionalInputs({ required_input: p.input0, optional_input_1: p.input1 });
  },
);
