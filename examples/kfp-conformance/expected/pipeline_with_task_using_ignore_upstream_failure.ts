import type { Expected } from '../structure';

export const expected: Expected = {
  kfp: 'pipeline_with_task_using_ignore_upstream_failure',
  pipeline: 'my-pipeline',
  params: ['sample_input'],
  root: {
    'fail-op': { task: 'fail-op', in: { message: '$sample_input' } },
    'print-op': {
      task: 'print-op',
      after: ['fail-op'],
      in: { message: 'fail-op.Output' },
      settings: { ignoreUpstreamFailure: true },
    },
  },
  runtime: {
    state: 'FAILED',
    tasks: { 'fail-op': 'failed', 'print-op': 'succeeded' },
    logs: { 'print-op': ['default'] },
    note: "fail-op produced no output, so print-op's message falls back to its default 'default'.",
  },
};
