/**
 * Port of KFP `pipeline_with_task_final_status.py`: the exit task takes the guarded group's final
 * status; the handler is named ('my-pipeline' in KFP, a display name there).
 * Differences: Kiln group names are ids, so the group is `my-pipeline` itself; the status is
 * bound explicitly (`status` from the exit factory) where KFP fills it in by type. Kiln's status
 * is `{ state, runId, pipelineName, failedTasks, error? }` (KFP: state, pipeline job resource
 * name, pipeline task name, error code/message).
 */
import { exitHandler, param, pipeline, python } from '@kiln/dsl';
import { failOp, printOpMessage } from './components';

const exitOp = python({
  name: 'exit-op',
  inputs: { user_input: param.string(), status: param.object() },
  source: `
    def exit_op(user_input, status):
        print("user input:", user_input)
        print("pipeline status:", status["state"])
        print("run:", status["runId"], "pipeline:", status["pipelineName"])
        print("failed tasks:", status["failedTasks"], "error:", status.get("error"))
  `,
});

export const pipelineWithTaskFinalStatus = pipeline(
  { name: 'pipeline-with-task-final-status', params: { message: param.string({ default: 'Hello World!' }) } },
  (p) => {
    exitHandler(
      (status) => exitOp({ user_input: p.message, status }),
      () => {
        printOpMessage({ message: p.message });
        failOp({ message: 'Task failed.' });
      },
      { name: 'my-pipeline' },
    );
  },
);
