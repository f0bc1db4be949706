/**
 * Short, readable text for the IR's conditions and loop items, as the graph's
 * labels show them: `evaluate-model.accuracy >= $minAccuracy`.
 */
import type { Binding, Expr, Operand } from '@kiln/ir';

const comparison = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', in: 'in' } as const;

/** At most this many characters of a constant, so a huge literal cannot blow up a label. */
const maxConstant = 40;

function constant(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > maxConstant ? `${text.slice(0, maxConstant - 1)}…` : text;
}

/** A binding or operand: `$param`, `task.output`, `item`, `item.field`, a JSON literal. */
export function describeBinding(binding: Binding | Operand): string {
  switch (binding.kind) {
    case 'constant':
      return constant(binding.value);
    case 'param':
      return `$${binding.name}`;
    case 'output':
      return `${binding.task}.${binding.output}`;
    case 'loopItem':
      return binding.path?.length ? `${binding.loop}.item.${binding.path.join('.')}` : `${binding.loop}.item`;
    case 'collected':
      return `collected(${binding.task}.${binding.output})`;
    case 'oneOf':
      return `oneOf(${binding.sources.map((s) => `${s.task}.${s.output}`).join(', ')})`;
    case 'finalStatus':
      return 'finalStatus';
  }
}

/**
 * @example
 * ```ts
 * describeExpr({ op: 'ge', left: { kind: 'output', task: 'eval', output: 'acc' }, right: { kind: 'param', name: 'min' } });
 * // 'eval.acc >= $min'
 * ```
 */
export function describeExpr(expr: Expr): string {
  switch (expr.op) {
    case 'and':
    case 'or':
      return expr.args
        .map((arg) => (arg.op === 'and' || arg.op === 'or' ? `(${describeExpr(arg)})` : describeExpr(arg)))
        .join(` ${expr.op} `);
    case 'not':
      return `not (${describeExpr(expr.arg)})`;
    default:
      return `${describeBinding(expr.left)} ${comparison[expr.op]} ${describeBinding(expr.right)}`;
  }
}

/** What a loop iterates over: `over $items`, `over 3 items`, `over split.parts`. */
export function describeLoopItems(items: Binding, parallelism?: number): string {
  const over =
    items.kind === 'constant' && Array.isArray(items.value)
      ? `over ${items.value.length} item${items.value.length === 1 ? '' : 's'}`
      : `over ${describeBinding(items)}`;
  return parallelism ? `${over}, ${parallelism} at a time` : over;
}
