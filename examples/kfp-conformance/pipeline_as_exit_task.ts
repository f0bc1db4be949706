/**
 * Port of KFP `pipeline_as_exit_task.py`: a sub-pipeline is the exit task; it receives the final
 * status, extracts the state and prints a notification only when the state is FAILED.
 * Differences: the exit sub-pipeline sits in the handler's `exit` DAG (KFP: sibling after the
 * group); the handler is named `my-pipeline` (KFP: display name of exit-handler-1).
 */
import { exitHandler, param, pipeline, python, when } from '@kiln/dsl';
import { failOp, printOpMessage } from './components';

const getRunState = python({
  name: 'get-run-state',
  inputs: { status: param.object() },
  outputs: { Output: param.string() },
  source: `
    def get_run_state(status):
        print("Pipeline status: ", status)
        return {"Output": status["state"]}
  `,
});

export const conditionalNotification = pipeline(
  { name: 'conditional-notification', params: { status: param.object() } },
  (p) => {
    const s = getRunState({ status: p.status });
    when(s.outputs.Output.eq('FAILED'), () => {
      printOpMessage({ message: 'notify task failure.' });
    });
  },
);

export const pipelineAsExitTask = pipeline(
  {
    name: 'pipeline-with-task-final-status-conditional',
    params: { message: param.string({ default: 'Hello World!' }) },
  },
  (p) => {
    exitHandler(
      (status) => conditionalNotification({ status }),
      () => {
        printOpMessage({ message: p.message });
        failOp({ message: 'Task failed.' });
      },
      { name: 'my-pipeline' },
    );
  },
);
