import { artifact, component, importer, param, pipeline } from '../../src';

const use = component({
  name: 'use',
  image: 'alpine:3.20',
  inputs: { data: artifact.dataset(), any: artifact.artifact() },
  command: ({ inputs }) => ['cat', inputs.data.path, inputs.any.path],
});

export const importerPipeline = pipeline({ name: 'importer', params: { uri: param.string({ default: 's3://bucket/data.csv' }) } }, (p) => {
  const fixed = importer({ uri: 's3://bucket/fixed.csv', artifactType: 'dataset', metadata: { origin: 'warehouse' } });
  const fromParam = importer({ name: 'import-model', uri: p.uri, artifactType: 'model', reimport: true });
  use({ data: fixed.outputs.artifact, any: fromParam.outputs.artifact });
});
