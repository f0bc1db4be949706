import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_if_placeholder',
  pipeline: 'one-step-pipeline-with-if-placeholder',
  params: ['input0', 'input1', 'input2'],
  root: {
    'component-with-optional-inputs': {
      task: 'component-with-optional-inputs',
      in: { required_input: '$input0', optional_input_1: '$input1' },
    },
  },
  placeholders: { 'component-with-optional-inputs': ['ifPresent', 'inputValue'] },
  runtime: {
    params: { input0: 'a', input1: 'b', input2: 'c' },
    state: 'SUCCEEDED',
    tasks: { 'component-with-optional-inputs': 'succeeded' },
    logs: { 'component-with-optional-inputs': ['--arg0', 'a', '--arg1', 'b', '--arg3', 'default value'] },
  },
};
