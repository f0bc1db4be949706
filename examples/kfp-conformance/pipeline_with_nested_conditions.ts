/**
 * Port of KFP `pipeline_with_nested_conditions.py`: nested conditions; the inner one
 * compares two task outputs (flip-coin-op-2 from outside the outer group vs flip-coin-op-3 inside).
 * Differences: the flips are deterministic (flip-coin-op-2 and -3 both return 'tails' here, so the
 * inner condition holds; KFP's are random).
 */
import { pipeline, when } from '@kiln/dsl';
import { flipCoinOp, printOpMsg } from './components';

export const pipelineWithNestedConditions = pipeline({ name: 'nested-conditions-pipeline' }, () => {
  const flip1 = flipCoinOp();
  printOpMsg({ msg: flip1.outputs.Output });
  const flip2 = flipCoinOp({ outcome: 'tails' });
  printOpMsg({ msg: flip2.outputs.Output });
  when(flip1.outputs.Output.ne('no-such-result'), () => {
    const flip3 = flipCoinOp({ outcome: 'tails' });
    printOpMsg({ msg: flip3.outputs.Output });
    when(flip2.outputs.Output.eq(flip3.outputs.Output), () => {
      const flip4 = flipCoinOp();
      printOpMsg({ msg: flip4.outputs.Output });
    });
  });
});
