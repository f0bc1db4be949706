import type { Expectation } from '../expectation';

/** A pipeline used as a component is a Kiln dag component: its inputs are `$` bindings inside it. */
export const expectation: Expectation = {
  feature: 'a pipeline as a component',
  translated: {
    pipeline: 'pipeline-in-pipeline',
    params: { x: 'int = 10' },
    root: {
      'add-three': { task: 'add-three', in: { x: '$x' } },
      add: { task: 'add', after: ['add-three'], in: { a: 'add-three.Output', b: '100' } },
    },
    outputs: { Output: 'add.Output' },
    components: {
      'add-three': {
        type: 'dag',
        dag: {
          add: { task: 'add', in: { a: '$x', b: '1' } },
          'add-2': { task: 'add', after: ['add'], in: { a: 'add.Output', b: '2' } },
        },
        outputs: { Output: 'add-2.Output' },
      },
    },
    componentCount: 2,
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'add-three': 'succeeded', 'add-three/add': 'succeeded', 'add-three/add-2': 'succeeded', add: 'succeeded' },
    outputs: { 'add-three/add.Output': 11, 'add-three/add-2.Output': 13, 'pipeline.Output': 113 },
  },
};
