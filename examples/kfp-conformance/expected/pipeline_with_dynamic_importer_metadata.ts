import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_dynamic_importer_metadata',
  pipeline: 'pipeline-with-importer',
  params: ['int_input', 'name', 'pipeline_input_artifact_uri', 'pipeline_input_image_uri'],
  root: {
    importer: { task: 'importer', in: { uri: '$pipeline_input_artifact_uri' } },
    'make-name': { task: 'make-name', in: { name: '"a-different-name"' } },
    'importer-2': { task: 'importer-2', after: ['make-name'] },
  },
  importers: {
    importer: { uri: '$uri', artifactType: 'artifact', reimport: false, metadata: { name: ['alias-name'] } },
    'importer-2': {
      uri: '"gs://ml-pipeline-playground/shakespeare1.txt"',
      artifactType: 'artifact',
      reimport: false,
      metadata: { 'list-of-data': [1] },
    },
  },
};
