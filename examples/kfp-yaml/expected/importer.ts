import type { Expectation } from '../expectation';

/** An importer executor is a Kiln importer component: URI, artifact type, metadata and reimport. */
export const expectation: Expectation = {
  feature: 'dsl.importer with metadata and reimport',
  translated: {
    pipeline: 'importer',
    params: {},
    root: {
      importer: { task: 'importer', in: { uri: '"gs://ml-public/iris/iris.csv"' } },
      peek: { task: 'peek', after: ['importer'], in: { data: 'importer.artifact' } },
    },
    outputs: { Output: 'peek.Output' },
    components: {
      importer: {
        type: 'importer',
        importer: {
          uri: '"gs://ml-public/iris/iris.csv"',
          type: 'dataset',
          metadata: { source: 'uci', rows: 150 },
          reimport: true,
        },
      },
    },
  },
  notRun: 'its URI is on Google Cloud Storage, which the test servers do not have',
};
