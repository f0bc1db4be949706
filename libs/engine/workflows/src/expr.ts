/**
 * Evaluates condition ASTs. Never `eval`: the IR carries a tree, and this is its
 * only interpreter, so `and`/`or`/`not` compose freely (KFP cannot combine conditions).
 */
import type { Expr, JsonValue, Operand } from '@kiln/ir';
import { sameJson } from './params';

/** Resolves an operand to a value, or `undefined` when its source produced nothing (e.g. a skipped task). */
export type OperandResolver = (operand: Operand) => JsonValue | undefined;

/** A condition could not be evaluated: an operand is missing or the comparison mixes types. */
export class ConditionError extends Error {
  override readonly name = 'ConditionError';
}

/**
 * @example
 * ```ts
 * const expr = { op: 'and', args: [
 *   { op: 'ge', left: { kind: 'param', name: 'acc' }, right: { kind: 'constant', value: 0.9 } },
 *   { op: 'not', arg: { op: 'eq', left: { kind: 'param', name: 'mode' }, right: { kind: 'constant', value: 'dry' } } },
 * ] };
 * evaluate(expr, (o) => (o.kind === 'constant' ? o.value : params[o.name]));
 * ```
 */
export function evaluate(expr: Expr, resolve: OperandResolver): boolean {
  switch (expr.op) {
    case 'and':
      return expr.args.every((arg) => evaluate(arg, resolve));
    case 'or':
      return expr.args.some((arg) => evaluate(arg, resolve));
    case 'not':
      return !evaluate(expr.arg, resolve);
    case 'in': {
      const left = value(expr.left, resolve);
      const right = value(expr.right, resolve);
      if (Array.isArray(right)) return right.some((item) => sameJson(item, left));
      if (typeof right === 'string' && typeof left === 'string') return right.includes(left);
      if (right !== null && typeof right === 'object') return typeof left === 'string' && left in right;
      throw new ConditionError(`"in" needs a list, string or object on the right, got ${JSON.stringify(right)}`);
    }
    case 'eq':
      return sameJson(value(expr.left, resolve), value(expr.right, resolve));
    case 'ne':
      return !sameJson(value(expr.left, resolve), value(expr.right, resolve));
    default: {
      const left = value(expr.left, resolve);
      const right = value(expr.right, resolve);
      const comparable =
        (typeof left === 'number' && typeof right === 'number') ||
        (typeof left === 'string' && typeof right === 'string');
      if (!comparable)
        throw new ConditionError(`cannot compare ${JSON.stringify(left)} ${expr.op} ${JSON.stringify(right)}`);
      const l = left as number | string;
      const r = right as number | string;
      switch (expr.op) {
        case 'lt':
          return l < r;
        case 'le':
          return l <= r;
        case 'gt':
          return l > r;
        case 'ge':
          return l >= r;
      }
    }
  }
}

function value(operand: Operand, resolve: OperandResolver): JsonValue {
  const v = resolve(operand);
  if (v === undefined) throw new ConditionError(`operand ${describe(operand)} has no value`);
  return v;
}

function describe(operand: Operand): string {
  switch (operand.kind) {
    case 'constant':
      return JSON.stringify(operand.value);
    case 'param':
      return `parameter "${operand.name}"`;
    case 'output':
      return `output "${operand.output}" of task "${operand.task}"`;
    case 'loopItem':
      return `item of loop "${operand.loop}"`;
  }
}
