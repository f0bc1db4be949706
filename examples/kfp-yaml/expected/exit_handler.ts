import type { Expectation } from '../expectation';

/**
 * KFP compiles dsl.ExitHandler(notify) into a group `exit-handler-1` and makes notify its sibling
 * with trigger strategy ALL_UPSTREAM_TASKS_COMPLETED and a taskFinalStatus input. In Kiln that is
 * one exitHandler node: the guarded tasks are its body, notify its exit DAG with `finalStatus`.
 */
export const expectation: Expectation = {
  feature: 'dsl.ExitHandler with PipelineTaskFinalStatus',
  translated: {
    pipeline: 'exit-handler',
    params: { channel: 'string = "#ml"' },
    root: {
      'exit-handler-1': {
        exitHandler: {
          work: { task: 'work', in: { text: '"one"' } },
          'work-2': { task: 'work', after: ['work'], in: { text: '"two"' } },
        },
        exit: { notify: { task: 'notify', in: { channel: '$channel', status: 'finalStatus' }, settings: {} } },
      },
    },
    components: {
      notify: {
        type: 'container',
        kfpTypes: { inputs: { status: 'TASK_FINAL_STATUS', channel: 'STRING' }, outputs: {} },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { work: 'succeeded', 'work-2': 'succeeded', notify: 'succeeded' },
    // PipelineTaskFinalStatus names the exit handler's group task and its state.
    logs: { notify: '[#ml] exit-handler-1: SUCCEEDED' },
    executors: ['local', 'kubernetes'],
  },
};
