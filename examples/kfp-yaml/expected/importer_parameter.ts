import type { Expectation } from '../expectation';

/** The importer's URI from a pipeline parameter: the importer reads its `uri` input, bound to the parameter. */
export const expectation: Expectation = {
  feature: 'dsl.importer with the URI from a parameter',
  translated: {
    pipeline: 'importer-parameter',
    params: { model_uri: 'string = "s3://models/forest/1"' },
    root: {
      importer: { task: 'importer', in: { uri: '$model_uri' } },
      describe: { task: 'describe', after: ['importer'], in: { model: 'importer.artifact' } },
    },
    outputs: { Output: 'describe.Output' },
    components: { importer: { type: 'importer', importer: { uri: '$uri', type: 'model', reimport: false } } },
  },
  run: {
    // The default URI names a bucket the test servers do not have: the run imports a file it made.
    params: { model_uri: 'file:///tmp/kiln-kfp-yaml/imported/model.txt' },
    state: 'SUCCEEDED',
    tasks: { importer: 'succeeded', describe: 'succeeded' },
  },
};
