import type { Expectation } from '../expectation';

/** Optional inputs may stay unbound (KFP: isOptional without a default): the first task binds none. */
export const expectation: Expectation = {
  feature: 'optional parameter and artifact inputs, unbound and bound',
  translated: {
    pipeline: 'optional-inputs',
    params: {},
    root: {
      summarize: { task: 'summarize', in: {} },
      make: { task: 'make', in: {} },
      'summarize-2': { task: 'summarize', after: ['make'], in: { label: '"labelled"', data: 'make.data' } },
    },
    components: {
      summarize: {
        type: 'container',
        kfpTypes: { inputs: { label: 'STRING', data: 'system.Dataset@0.0.1' }, outputs: { Output: 'STRING' } },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { summarize: 'succeeded', make: 'succeeded', 'summarize-2': 'succeeded' },
    outputs: { 'summarize.Output': 'no label / no data', 'summarize-2.Output': 'labelled / data' },
  },
};
