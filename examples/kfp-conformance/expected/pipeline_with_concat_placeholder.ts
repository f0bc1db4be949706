import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_concat_placeholder',
  pipeline: 'one-step-pipeline-with-concat-placeholder',
  params: [],
  root: {
    'component-with-concat-placeholder': {
      task: 'component-with-concat-placeholder',
      in: { input_prefix: '"some prefix:"' },
    },
  },
  placeholders: { 'component-with-concat-placeholder': ['concat', 'inputValue'] },
  runtime: {
    state: 'SUCCEEDED',
    tasks: { 'component-with-concat-placeholder': 'succeeded' },
    logs: { 'component-with-concat-placeholder': ['--arg0', 'some prefix:some value'] },
  },
};
