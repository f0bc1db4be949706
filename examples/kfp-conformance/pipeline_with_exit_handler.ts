/**
 * Port of KFP `pipeline_with_exit_handler.py`: an exit handler whose body has a succeeding and a
 * failing task; the exit task is a plain print.
 * Differences: in KFP the exit task is a sibling of `exit-handler-1` depending on it with
 * ALL_UPSTREAM_TASKS_COMPLETED; in Kiln it sits in the group's `exit` DAG. KFP creates the exit
 * task first, so it is `print-op` and the body's print is `print-op-2`; Kiln builds the body
 * first, so the body's print is `print-op` and the exit task `print-op-2`.
 */
import { exitHandler, param, pipeline } from '@kiln/dsl';
import { failOp, printOpMessage } from './components';

export const pipelineWithExitHandler = pipeline(
  { name: 'pipeline-with-exit-handler', params: { message: param.string({ default: 'Hello World!' }) } },
  (p) => {
    exitHandler(
      () => printOpMessage({ message: 'Exit handler has worked!' }),
      () => {
        printOpMessage({ message: p.message });
        failOp({ message: 'Task failed.' });
      },
    );
  },
);
