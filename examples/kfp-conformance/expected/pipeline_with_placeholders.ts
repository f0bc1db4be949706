import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_placeholders',
  pipeline: 'pipeline-with-placeholders',
  params: [],
  root: {
    'print-op': { task: 'print-op', in: { msg: '"job name:"' } },
    'print-op-2': { task: 'print-op-2', in: { msg: '"job resource name:"' } },
    'print-op-3': { task: 'print-op-3', in: { msg: '"job id:"' } },
    'print-op-4': { task: 'print-op-4', in: { msg: '"task name:"' } },
    'print-op-5': { task: 'print-op-5', in: { msg: '"task id:"' } },
  },
  placeholders: {
    'print-op': ['inputValue', 'pipelineName'],
    'print-op-2': ['concat', 'inputValue', 'pipelineName', 'runId'],
    'print-op-3': ['inputValue', 'runId'],
    'print-op-4': ['inputValue', 'taskId'],
    'print-op-5': ['attempt', 'concat', 'inputValue', 'iteration', 'taskId'],
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: {
      'print-op': 'succeeded',
      'print-op-2': 'succeeded',
      'print-op-3': 'succeeded',
      'print-op-4': 'succeeded',
      'print-op-5': 'succeeded',
    },
    logs: {
      'print-op': ['job name: pipeline-with-placeholders'],
      'print-op-4': ['task name: print-op-4'],
      'print-op-5': ['task id: print-op-5[]#1'],
    },
  },
};
