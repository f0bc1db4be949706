/**
 * Port of KFP `pipeline_with_task_using_ignore_upstream_failure.py`: a task consuming a failing
 * task's output runs anyway (`ignoreUpstreamFailure()`), its input falling back to its default.
 */
import { param, pipeline, python } from '@kiln/dsl';

const failOp = python({
  name: 'fail-op',
  inputs: { message: param.string() },
  outputs: { Output: param.string() },
  source: `
    def fail_op(message):
        import sys
        print(message)
        sys.exit(1)
  `,
});

const printOp = python({
  name: 'print-op',
  inputs: { message: param.string({ default: 'default' }) },
  source: `
    def print_op(message):
        print(message)
  `,
});

export const pipelineWithTaskUsingIgnoreUpstreamFailure = pipeline(
  { name: 'my-pipeline', params: { sample_input: param.string({ default: 'message' }) } },
  (p) => {
    const t = failOp({ message: p.sample_input });
    printOp({ message: t.outputs.Output }).ignoreUpstreamFailure();
  },
);
