import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_resource_spec',
  pipeline: 'two-step-pipeline-with-resource-spec',
  params: ['input_location', 'n_epochs', 'optimizer'],
  root: {
    ingestion: { task: 'ingestion', in: { input_location: '$input_location' } },
    trainer: {
      task: 'trainer',
      after: ['ingestion'],
      in: { examples: 'ingestion.examples', n_epochs: '$n_epochs', optimizer: '$optimizer' },
      settings: {
        resources: {
          cpu: { request: '2', limit: '4' },
          memory: { request: '4Gi', limit: '14Gi' },
          accelerator: 'tpu-v3',
          gpu: { count: 1, resource: 'google.com/tpu' },
        },
      },
    },
  },
  placeholders: {
    ingestion: ['inputValue', 'outputUri', 'outputPath'],
    trainer: ['inputUri', 'inputValue', 'outputUri', 'outputPath'],
  },
};
