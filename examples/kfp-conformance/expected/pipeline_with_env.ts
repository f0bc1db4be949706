import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_env',
  pipeline: 'pipeline-with-env',
  params: [],
  root: {
    'print-env-op': { task: 'print-env-op', settings: { env: { ENV1: 'val1' } } },
    'print-env': { task: 'print-env', settings: { env: { ENV1: 'val0', ENV2: 'val2', ENV3: 'val3' } } },
  },
  runtime: {
    state: 'SUCCEEDED',
    tasks: { 'print-env-op': 'succeeded', 'print-env': 'succeeded' },
    logs: { 'print-env': ['val0', 'val2', 'val3'] },
  },
};
