import type { Expectation } from '../expectation';

const types = {
  raw: 'system.Artifact@0.0.1',
  table: 'system.Dataset@0.0.1',
  model: 'system.Model@0.0.1',
  scores: 'system.Metrics@0.0.1',
  confusion: 'system.ClassificationMetrics@0.0.1',
  page: 'system.HTML@0.0.1',
  notes: 'system.Markdown@0.0.1',
};

/**
 * Each KFP artifact class is its Kiln artifact type; the KFP schema titles stay in the
 * containers' kfp blocks so the launcher can write them into executor_input.
 */
export const expectation: Expectation = {
  feature: 'artifacts of every type with metadata',
  translated: {
    pipeline: 'artifact-types',
    params: {},
    root: {
      produce: { task: 'produce', in: {} },
      consume: {
        task: 'consume',
        after: ['produce'],
        in: {
          raw: 'produce.raw',
          table: 'produce.table',
          model: 'produce.model',
          scores: 'produce.scores',
          confusion: 'produce.confusion',
          page: 'produce.page',
          notes: 'produce.notes',
        },
      },
    },
    outputs: { Output: 'consume.Output' },
    components: {
      produce: { type: 'container', kfpTypes: { inputs: {}, outputs: types } },
      consume: { type: 'container', kfpTypes: { inputs: types, outputs: { Output: 'STRING' } } },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { produce: 'succeeded', consume: 'succeeded' },
    // log_confusion_matrix stores KFP's { annotationSpecs, rows: [{ row }] } in the metadata.
    outputs: { 'pipeline.Output': 'raw bytes,1,none,0.9,[8, 2],<h1>report</h1>,# notes' },
    artifacts: {
      'produce.raw': { text: 'raw bytes', metadata: { origin: 'produce' } },
      'produce.table': { text: 'x,y\n1,2\n', metadata: { rows: 1 } },
      'produce.model': { text: 'weights', metadata: { framework: 'none' } },
      'produce.scores': { metadata: { accuracy: 0.9 } },
      'produce.page': { text: '<h1>report</h1>' },
      'produce.notes': { text: '# notes' },
    },
  },
};
