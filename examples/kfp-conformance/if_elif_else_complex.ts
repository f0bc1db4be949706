/**
 * Port of KFP `if_elif_else_complex.py`: If/Elif/Else inside a loop over a list parameter, an If
 * nested in an If on the loop item, OneOf inside branches, an inner loop in the else branch, and
 * fan-in of a loop task's output after the loop.
 * Differences: int-0-to-9999 is deterministic: it returns its `value` input (default 2024, a low
 * even number; KFP draws at random, caching off). Kiln has one condition group per if/elif/else
 * chain with an ordered branch list where KFP has condition-branches-N holding condition-M groups
 * with negated conjunctions; group ids are numbered per kind (condition-N, for-loop-N).
 */
import { collected, oneOf, param, parallelFor, pipeline, python, type Task, when } from '@kiln/dsl';
import { printAndReturn } from './components';

const int0To9999 = python({
  name: 'int-0-to-9999',
  description: 'KFP: random.randint(0, 9999). Kiln port: returns `value` (default 2024) so runs are reproducible.',
  inputs: { value: param.int({ default: 2024 }) },
  outputs: { Output: param.int() },
  source: `
    def int_0_to_9999(value):
        print(value)
        return {"Output": value}
  `,
});

const isEvenOrOdd = python({
  name: 'is-even-or-odd',
  inputs: { num: param.int() },
  outputs: { Output: param.string() },
  source: `
    def is_even_or_odd(num):
        return {"Output": "odd" if num % 2 else "even"}
  `,
});

const printInts = python({
  name: 'print-ints',
  inputs: { ints: param.list() },
  source: `
    def print_ints(ints):
        print(ints)
  `,
});

type Printed = Task<ReturnType<typeof printAndReturn>['outputs']>;

/** is-even-or-odd → If even / Else odd → print the OneOf. */
function evenOdd(n: Task<ReturnType<typeof int0To9999>['outputs']>, range: 'low' | 'high'): void {
  const e = isEvenOrOdd({ num: n.outputs.Output });
  let even!: Printed;
  let odd!: Printed;
  when(e.outputs.Output.eq('even'), () => {
    even = printAndReturn({ text: `Got a ${range} even number!` });
  }).otherwise(() => {
    odd = printAndReturn({ text: `Got a ${range} odd number!` });
  });
  printAndReturn({ text: oneOf(even.outputs.Output, odd.outputs.Output) });
}

export const ifElifElseComplex = pipeline(
  {
    name: 'lucky-number-pipeline',
    params: {
      add_drumroll: param.bool({ default: true }),
      repeat_if_lucky_number: param.bool({ default: true }),
      trials: param.list({ default: [1, 2, 3] }),
    },
  },
  (p) => {
    let n!: Task<ReturnType<typeof int0To9999>['outputs']>;
    parallelFor(p.trials, (trial) => {
      n = int0To9999().caching(false);
      when(p.add_drumroll.eq(true), () => {
        when(trial.eq(3), () => {
          printAndReturn({ text: 'Adding drumroll on last trial!' });
        });
      });
      when(n.outputs.Output.lt(5000), () => evenOdd(n, 'low'))
        .elseWhen(n.outputs.Output.gt(5000), () => evenOdd(n, 'high'))
        .otherwise(() => {
          printAndReturn({ text: 'Announcing: Got the lucky number 5000! A one in 10,000 chance.' });
          when(p.repeat_if_lucky_number.eq(true), () => {
            parallelFor([1, 2], () => {
              printAndReturn({ text: 'Announcing again: Got the lucky number 5000! A one in 10,000 chance.' });
            });
          });
        });
    });
    printInts({ ints: collected(n.outputs.Output) });
  },
);
