import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'components_with_optional_artifacts',
  pipeline: 'optional-artifact-pipeline',
  // KFP: dataset1 (an optional artifact input); Kiln run parameters are values only.
  params: [],
  root: {
    'custom-artifact-printer': { task: 'custom-artifact-printer' },
    'custom-artifact-printer-2': { task: 'custom-artifact-printer' },
    importer: { task: 'importer' },
    'inner-pipeline': {
      task: 'inner-pipeline',
      after: ['importer'],
      in: { dataset: 'importer.artifact' },
      sub: { 'python-artifact-printer': { task: 'python-artifact-printer', in: { artifact: '$dataset' } } },
    },
    'inner-pipeline-2': {
      task: 'inner-pipeline',
      sub: { 'python-artifact-printer': { task: 'python-artifact-printer', in: { artifact: '$dataset' } } },
    },
  },
  placeholders: { 'custom-artifact-printer': ['ifPresent', 'inputUri'] },
  importers: {
    importer: { uri: '"gs://ml-pipeline-playground/shakespeare1.txt"', artifactType: 'dataset', reimport: false },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'custom-artifact-printer': 'succeeded',
      'custom-artifact-printer-2': 'succeeded',
      importer: 'succeeded',
      'inner-pipeline/python-artifact-printer': 'succeeded',
      'inner-pipeline-2/python-artifact-printer': 'succeeded',
    },
    logs: {
      'custom-artifact-printer': ['No artifact provided!'],
      'inner-pipeline-2/python-artifact-printer': ['No artifact provided!'],
    },
    note: 'The importer URI must be reachable for a local run (file://).',
  },
};
