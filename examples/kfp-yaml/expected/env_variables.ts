import type { Expectation } from '../expectation';

/** set_env_variable → the task's env. */
export const expectation: Expectation = {
  feature: 'task.set_env_variable',
  translated: {
    pipeline: 'env-variables',
    params: {},
    root: { 'show-env': { task: 'show-env', in: {}, settings: { env: { STAGE: 'test', LOG_LEVEL: 'debug' } } } },
    outputs: { Output: 'show-env.Output' },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { 'show-env': 'succeeded' },
    outputs: { 'pipeline.Output': 'test:debug' },
  },
};
