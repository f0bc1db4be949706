import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_parallelfor_list_artifacts',
  pipeline: 'pipeline-parallelfor-artifacts',
  params: [],
  root: {
    'make-artifacts': {
      task: 'make-artifacts',
      sub: {
        'for-loop-1': {
          loop: '$texts',
          body: { 'make-artifact': { task: 'make-artifact', in: { data: 'item(for-loop-1)' } } },
        },
      },
      subOutputs: { Output: 'collected(for-loop-1/make-artifact.Output)' },
    },
    'for-loop-1': {
      after: ['make-artifacts'],
      loop: 'make-artifacts.Output',
      body: { 'print-artifact-name': { task: 'print-artifact-name', in: { artifact: 'item(for-loop-1)' } } },
    },
    'make-datasets': {
      task: 'make-datasets',
      sub: {
        'for-loop-1': {
          loop: '$texts',
          body: { 'make-dataset': { task: 'make-dataset', in: { data: 'item(for-loop-1)' } } },
        },
      },
      subOutputs: { Output: 'collected(for-loop-1/make-dataset.Output)' },
    },
    'for-loop-2': {
      after: ['make-datasets'],
      loop: 'make-datasets.Output',
      body: { 'print-artifact-name-2': { task: 'print-artifact-name', in: { artifact: 'item(for-loop-2)' } } },
    },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'make-artifacts': 'succeeded',
      'make-datasets': 'succeeded',
      'print-artifact-name': { succeeded: 4 },
      'print-artifact-name-2': { succeeded: 4 },
    },
    outputs: {
      'print-artifact-name.Output': ['Hello', ',', ' ', 'world!'],
      'print-artifact-name-2.Output': ['Hello', ',', ' ', 'world!'],
    },
    note: 'Each loop gets the four artifacts in item order, one per iteration.',
  },
};
