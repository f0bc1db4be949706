/**
 * Port of KFP `pipeline_with_concat_placeholder.py`: a Concat placeholder building ONE argument
 * from an input value and a constant (KFP: component from YAML).
 */
import { component, concat, param, pipeline } from '@kiln/dsl';

const componentWithConcatPlaceholder = component({
  name: 'component-with-concat-placeholder',
  image: 'alpine:3.20',
  inputs: { input_prefix: param.string() },
  command: () => ['sh', '-c', 'for a in "$@"; do echo "$a"; done', 'args'],
  args: ({ inputs }) => ['--arg0', concat(inputs.input_prefix, 'some value')],
});

export const pipelineWithConcatPlaceholder = pipeline({ name: 'one-step-pipeline-with-concat-placeholder' }, () => {
  componentWithConcatPlaceholder({ input_prefix: 'some prefix:' });
});
