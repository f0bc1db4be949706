import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_importer',
  pipeline: 'pipeline-with-importer',
  params: ['dataset2'],
  root: {
    importer: { task: 'importer' },
    train: { task: 'train', after: ['importer'], in: { dataset: 'importer.artifact' } },
    'condition-1': {
      after: ['train'],
      branches: [
        {
          when: 'train.scalar == "123"',
          dag: {
            'importer-2': { task: 'importer-2', in: { uri: '$dataset2' } },
            'train-2': { task: 'train', after: ['importer-2'], in: { dataset: 'importer-2.artifact' } },
          },
        },
      ],
    },
  },
  importers: {
    importer: {
      uri: '"gs://ml-pipeline-playground/shakespeare1.txt"',
      artifactType: 'dataset',
      reimport: false,
      metadata: { key: 'value' },
    },
    'importer-2': { uri: '$uri', artifactType: 'dataset', reimport: true },
  },
  runtime: {
    params: { dataset2: 'file:///tmp/kiln-conformance/shakespeare2.txt' },
    state: 'SUCCEEDED',
    tasks: { importer: 'succeeded', train: 'succeeded', 'importer-2': 'succeeded', 'train-2': 'succeeded' },
    note: 'Needs the gs:// URI of importer replaced by a reachable file for a local run (KFP needs GCS access).',
  },
};
