import type { Expectation } from '../expectation';

/** Sub-pipelines two levels deep, returning an artifact through both. */
export const expectation: Expectation = {
  feature: 'pipelines in pipelines, two levels, artifact outputs',
  translated: {
    pipeline: 'nested-pipelines',
    params: { text: 'string = "deep"' },
    root: {
      middle: { task: 'middle', in: { text: '$text' } },
      read: { task: 'read', after: ['middle'], in: { data: 'middle.Output' } },
    },
    outputs: { Output: 'read.Output' },
    components: {
      middle: {
        type: 'dag',
        dag: { innermost: { task: 'innermost', in: { text: '$text' } } },
        outputs: { Output: 'innermost.Output' },
      },
      innermost: {
        type: 'dag',
        dag: { write: { task: 'write', in: { text: '$text' } } },
        outputs: { Output: 'write.out' },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: {
      middle: 'succeeded',
      'middle/innermost': 'succeeded',
      'middle/innermost/write': 'succeeded',
      read: 'succeeded',
    },
    outputs: { 'read.Output': 'deep', 'pipeline.Output': 'deep' },
  },
};
