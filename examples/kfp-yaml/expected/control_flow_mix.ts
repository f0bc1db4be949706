import type { Expectation } from '../expectation';

/** Groups nested in an exit handler: a loop, its fan-in, and an if/elif/else with a sub-pipeline. */
export const expectation: Expectation = {
  feature: 'loop, fan-in, if/elif/else and a sub-pipeline inside an exit handler',
  translated: {
    pipeline: 'control-flow-mix',
    params: { items: 'list = [1,2,3]' },
    root: {
      'exit-handler-1': {
        exitHandler: {
          'for-loop-2': { loop: '$items', body: { number: { task: 'number', in: { n: 'item(for-loop-2)' } } } },
          total: { task: 'total', after: ['for-loop-2'], in: { xs: 'collected(for-loop-2/number.Output)' } },
          'condition-branches-3': {
            after: ['total'],
            if: [
              { when: 'total.Output > 5', then: { report: { task: 'report', in: { value: 'total.Output' } } } },
              { when: 'total.Output > 2', then: { say: { task: 'say', in: { text: '"medium total"' } } } },
              { then: { 'say-2': { task: 'say', in: { text: '"small total"' } } } },
            ],
          },
        },
        exit: { finish: { task: 'finish', in: { status: 'finalStatus' } } },
      },
    },
    components: {
      report: {
        type: 'dag',
        dag: { say: { task: 'say', in: { text: '"big total"' } } },
        outputs: { Output: 'say.Output' },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    // total = 1 + 2 + 3 = 6 > 5: the If branch (the report sub-pipeline) runs; the exit task runs after all.
    tasks: {
      number: { succeeded: 3 },
      total: 'succeeded',
      report: 'succeeded',
      'report/say': 'succeeded',
      say: 'skipped',
      'say-2': 'skipped',
      finish: 'succeeded',
    },
    outputs: { 'total.Output': 6, 'report/say.Output': 'big total' },
    logs: { finish: 'SUCCEEDED' },
  },
};
