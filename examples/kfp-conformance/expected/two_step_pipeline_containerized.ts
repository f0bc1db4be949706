import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'two_step_pipeline_containerized',
  pipeline: 'containerized-two-step-pipeline',
  params: ['text'],
  root: {
    component1: { task: 'component1', in: { text: '$text' } },
    component2: { task: 'component2', after: ['component1'], in: { input_gcs: 'component1.output_gcs' } },
  },
  placeholders: { component1: ['inputValue', 'outputPath'], component2: ['inputPath'] },
  runtime: {
    params: { text: 'hello' },
    state: 'SUCCEEDED',
    tasks: { component1: 'succeeded', component2: 'succeeded' },
    logs: { component2: ['hello'] },
  },
};
