import type { Expectation } from '../expectation';

/**
 * SlicedClassificationMetrics has no Kiln artifact type: it is a generic Kiln artifact whose
 * KFP title is kept; a generic Artifact input takes it and a Model alike.
 */
export const expectation: Expectation = {
  feature: 'SlicedClassificationMetrics, generic Artifact inputs',
  translated: {
    pipeline: 'sliced-metrics',
    params: {},
    root: {
      evaluate: { task: 'evaluate', in: {} },
      'inspect-any': { task: 'inspect-any', after: ['evaluate'], in: { thing: 'evaluate.slices' } },
      'inspect-any-2': { task: 'inspect-any', after: ['evaluate'], in: { thing: 'evaluate.model' } },
    },
    outputs: { Output: 'inspect-any-2.Output' },
    components: {
      evaluate: {
        type: 'container',
        kfpTypes: {
          inputs: {},
          outputs: { slices: 'system.SlicedClassificationMetrics@0.0.1', model: 'system.Model@0.0.1' },
        },
      },
      'inspect-any': {
        type: 'container',
        kfpTypes: { inputs: { thing: 'system.Artifact@0.0.1' }, outputs: { Output: 'STRING' } },
      },
    },
  },
  run: {
    // KFP's own runtime fails here: the executor builds a SlicedClassificationMetrics without calling its
    // initializer, so load_confusion_matrix raises (kfp 2.17.3). Run unchanged, it fails on Kiln the same way.
    state: 'FAILED',
    tasks: { evaluate: 'failed', 'inspect-any': 'skipped', 'inspect-any-2': 'skipped' },
    logs: { evaluate: "'SlicedClassificationMetrics' object has no attribute '_sliced_metrics'" },
  },
};
