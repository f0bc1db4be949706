/**
 * Port of KFP `pipeline_with_multiple_exit_handlers.py`: three independent exit handlers, each
 * with its own exit task; the first group fails.
 * Differences: exit tasks live in each group's `exit` DAG (KFP: siblings after the group). Task
 * numbering follows Kiln's creation order (body first, then exit task).
 */
import { exitHandler, param, pipeline } from '@kiln/dsl';
import { failOp, printOpMessage } from './components';

export const pipelineWithMultipleExitHandlers = pipeline(
  { name: 'pipeline-with-multiple-exit-handlers', params: { message: param.string({ default: 'Hello World!' }) } },
  (p) => {
    exitHandler(
      () => printOpMessage({ message: 'First exit handler has worked!' }),
      () => {
        printOpMessage({ message: p.message });
        failOp({ message: 'Task failed.' });
      },
    );
    exitHandler(
      () => printOpMessage({ message: 'Second exit handler has worked!' }),
      () => {
        printOpMessage({ message: p.message });
      },
    );
    exitHandler(
      () => printOpMessage({ message: 'Third exit handler has worked!' }),
      () => {
        printOpMessage({ message: p.message });
      },
    );
  },
);
