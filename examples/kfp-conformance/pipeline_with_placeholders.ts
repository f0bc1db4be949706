/**
 * Port of KFP `pipeline_with_placeholders.py`: five tasks print the run's and the task's identity.
 * Differences: KFP passes `{{$.pipeline_job_name}}`-style strings as input values of a python
 * component; Kiln has identity placeholders in container commands instead (`pipelineName()`,
 * `runId()`, `taskId()`...), so `print-op` takes the placeholder as a command argument and has no
 * `value` input. KFP's job resource name and job name both map to the pipeline name and run id;
 * its task uuid maps to `taskId()` plus `iteration()` and `attempt()`.
 */
import {
  component,
  concat,
  type Placeholder,
  param,
  pipeline,
  pipelineName,
  runId,
  taskId,
  iteration,
  attempt,
} from '@kiln/dsl';

const printOp = (name: string, value: Placeholder) =>
  component({
    name,
    image: 'alpine:3.20',
    inputs: { msg: param.string() },
    command: ({ inputs }) => ['sh', '-c', 'echo "$0 $1"', inputs.msg, value],
  });

export const pipelineWithPlaceholders = pipeline({ name: 'pipeline-with-placeholders' }, () => {
  printOp('print-op', pipelineName())({ msg: 'job name:' });
  printOp('print-op-2', concat(pipelineName(), '/', runId()))({ msg: 'job resource name:' });
  printOp('print-op-3', runId())({ msg: 'job id:' });
  printOp('print-op-4', taskId())({ msg: 'task name:' });
  printOp('print-op-5', concat(taskId(), '[', iteration(), ']#', attempt()))({ msg: 'task id:' });
});
