/**
 * Port of KFP `sdk/python/test_data/pipelines/pipeline_with_condition.py`:
 * one condition on a task output; caching disabled on the coin flips.
 * Differences: flip-coin-op is deterministic (returns its `outcome` input, default 'heads').
 */
import { param, pipeline, when } from '@kiln/dsl';
import { flipCoinOp, printOpMsg } from './components';

export const pipelineWithCondition = pipeline(
  { name: 'single-condition-pipeline', params: { text: param.string({ default: 'condition test' }) } },
  (p) => {
    const flip1 = flipCoinOp().caching(false);
    printOpMsg({ msg: flip1.outputs.Output });
    when(flip1.outputs.Output.eq('heads'), () => {
      const flip2 = flipCoinOp().caching(false);
      printOpMsg({ msg: flip2.outputs.Output });
      printOpMsg({ msg: p.text });
    });
  },
);
