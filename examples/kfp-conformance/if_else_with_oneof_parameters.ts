/**
 * Port of KFP `if_else_with_oneof_parameters.py`: If/Else with OneOf over parameters; the oneOf
 * feeds a task and is the pipeline output.
 * Differences: flip-coin is deterministic ('heads' by default). KFP wraps the If/Else in a
 * `condition-branches-1` group with `condition-2` / `condition-3` (`!(== 'heads')`) inside; Kiln has
 * one condition group with an ordered branch list (`when` + `otherwise`).
 */
import { oneOf, pipeline, type Task, when } from '@kiln/dsl';
import { flipCoin, printAndReturn } from './components';

type Printed = Task<ReturnType<typeof printAndReturn>['outputs']>;

export const ifElseWithOneofParameters = pipeline({ name: 'flip-coin-pipeline' }, () => {
  const f = flipCoin();
  let p1!: Printed;
  let p2!: Printed;
  when(f.outputs.Output.eq('heads'), () => {
    p1 = printAndReturn({ text: 'Got heads!' });
  }).otherwise(() => {
    p2 = printAndReturn({ text: 'Got tails!' });
  });
  const x = oneOf(p1.outputs.Output, p2.outputs.Output);
  printAndReturn({ text: x });
  return { Output: x };
});
