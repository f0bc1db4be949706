/**
 * Port of KFP `if_elif_else_with_oneof_parameters.py`: If/Elif/Else in a sub-pipeline returning
 * the OneOf of three branches (two python returns and one OutputPath parameter); the outer
 * pipeline prints it and returns the printed value.
 * Differences: flip-three-sided-die is deterministic (returns its `outcome` input, default
 * 'heads'; KFP draws at random). KFP's elif/else are negated conjunctions in
 * `condition-branches-1`; Kiln keeps one condition group with an ordered branch list.
 */
import { component, oneOf, param, pipeline, type Task, when } from '@kiln/dsl';
import { MKDIR_OUT, printAndReturn } from './components';

const flipThreeSidedDie = component({
  name: 'flip-three-sided-die',
  image: 'alpine:3.20',
  inputs: { outcome: param.string({ default: 'heads', enum: ['heads', 'tails', 'draw'] }) },
  outputs: { Output: param.string() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    `${MKDIR_OUT}printf '%s' "$0" > "$1"`,
    inputs.outcome,
    outputs.Output.path,
  ],
});

/** `special_print_and_return(text: str, output_key: OutputPath(str))`. */
const specialPrintAndReturn = component({
  name: 'special-print-and-return',
  image: 'alpine:3.20',
  inputs: { text: param.string() },
  outputs: { output_key: param.string() },
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    `${MKDIR_OUT}echo "$0" && printf '%s' "$0" > "$1"`,
    inputs.text,
    outputs.output_key.path,
  ],
});

type Printed = Task<ReturnType<typeof printAndReturn>['outputs']>;

export const rollDiePipeline = pipeline({ name: 'roll-die-pipeline' }, () => {
  const die = flipThreeSidedDie();
  let t1!: Printed;
  let t2!: Printed;
  let t3!: Task<ReturnType<typeof specialPrintAndReturn>['outputs']>;
  when(die.outputs.Output.eq('heads'), () => {
    t1 = printAndReturn({ text: 'Got heads!' });
  })
    .elseWhen(die.outputs.Output.eq('tails'), () => {
      t2 = printAndReturn({ text: 'Got tails!' });
    })
    .otherwise(() => {
      t3 = specialPrintAndReturn({ text: 'Draw!' });
    });
  return { Output: oneOf(t1.outputs.Output, t2.outputs.Output, t3.outputs.output_key) };
});

export const ifElifElseWithOneofParameters = pipeline({ name: 'outer-pipeline' }, () => {
  const r = rollDiePipeline();
  return { Output: printAndReturn({ text: r.outputs.Output }).outputs.Output };
});
