import type { Expectation } from '../expectation';

/**
 * Identity placeholders in a command: {{$.pipeline_job_name}} → pipelineName,
 * {{$.pipeline_job_uuid}} and {{$.pipeline_job_resource_name}} → runId,
 * {{$.pipeline_task_name}} → taskId (Kiln's mapping, docs/dsl.md).
 */
export const expectation: Expectation = {
  feature: 'identity placeholders in a command (job name, job id, task name)',
  translated: {
    pipeline: 'identity-placeholders',
    params: {},
    root: { whoami: { task: 'whoami', in: {} } },
    components: {
      whoami: {
        type: 'container',
        argv: ['echo', 'job', '{pipelineName}', 'id', '{runId}', 'task', '{taskId}', '{concat:run=,{runId}}'],
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { whoami: 'succeeded' },
    logs: { whoami: 'task whoami' },
  },
};
