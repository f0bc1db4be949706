import type { Expectation } from '../expectation';

/** KFP's driver replaces an input value that is exactly an identity placeholder; Kiln cannot. */
export const expectation: Expectation = {
  feature: 'identity placeholders as input values',
  refused: [
    {
      path: 'root.dag.tasks.log-run.inputs.parameters.job.runtimeValue',
      feature: '{{$.pipeline_job_name}} as an input value',
    },
    {
      path: 'root.dag.tasks.log-run.inputs.parameters.task.runtimeValue',
      feature: '{{$.pipeline_task_name}} as an input value',
    },
  ],
};
