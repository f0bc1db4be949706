/** The CEL subset KFP's compiler writes for dsl.If / dsl.Elif / dsl.Else, parsed (never evaluated). */
import { CelSyntaxError, parseCel } from '../src';

const input = (name: string) => ({ kind: 'input', name }) as const;
const literal = (value: string | number | boolean) => ({ kind: 'literal', value }) as const;

describe('parseCel', () => {
  test('a comparison of a channel with a string', () => {
    expect(parseCel("inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads'")).toEqual({
      kind: 'compare',
      op: '==',
      left: input('pipelinechannel--flip-Output'),
      right: literal('heads'),
    });
  });

  test('casts KFP adds for integers and mixed numbers', () => {
    expect(parseCel("double(int(inputs.parameter_values['n'])) >= 0.5")).toEqual({
      kind: 'compare',
      op: '>=',
      left: { kind: 'cast', to: 'double', operand: { kind: 'cast', to: 'int', operand: input('n') } },
      right: literal(0.5),
    });
  });

  test('an Elif: the negation of the earlier branch && its own test', () => {
    expect(parseCel("!(inputs.parameter_values['x'] == 'a') && inputs.parameter_values['x'] != 'b'")).toEqual({
      kind: 'and',
      args: [
        { kind: 'not', arg: { kind: 'compare', op: '==', left: input('x'), right: literal('a') } },
        { kind: 'compare', op: '!=', left: input('x'), right: literal('b') },
      ],
    });
  });

  test('booleans, negative numbers, exponents, || and parentheses', () => {
    expect(parseCel("(inputs.parameter_values['b'] == true || inputs.parameter_values['n'] < -1e-05)")).toEqual({
      kind: 'or',
      args: [
        { kind: 'compare', op: '==', left: input('b'), right: literal(true) },
        { kind: 'compare', op: '<', left: input('n'), right: literal(-1e-5) },
      ],
    });
  });

  test.each([
    ["size(inputs.parameter_values['x']) > 1", 'a function KFP does not write'],
    ["inputs.parameter_values['x']", 'a value without a comparison'],
    ["inputs.parameters['x'].int_value == 1", 'the KFP v1 form'],
    ["'int(inputs.parameter_values['x'])' == 'a'", "KFP's mis-quoted string cast"],
    ["inputs.parameter_values['x'] == 'a' extra", 'trailing text'],
  ])('refuses %s (%s)', (text) => {
    expect(() => parseCel(text)).toThrow(CelSyntaxError);
  });
});
