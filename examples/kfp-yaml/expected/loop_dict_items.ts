import type { Expectation } from '../expectation';

/** Item fields (KFP: parseJson(string_value)["model"]) are loop-item bindings with a path. */
export const expectation: Expectation = {
  feature: 'dsl.ParallelFor over a list of dicts, item fields',
  translated: {
    pipeline: 'loop-dict-items',
    params: {},
    root: {
      'for-loop-2': {
        loop: '[{"depth":"3","model":"tree"},{"depth":"8","model":"forest"}]',
        body: { train: { task: 'train', in: { model: 'item(for-loop-2).model', depth: 'item(for-loop-2).depth' } } },
      },
    },
  },
  run: {
    state: 'SUCCEEDED',
    tasks: { train: { succeeded: 2 } },
  },
};
