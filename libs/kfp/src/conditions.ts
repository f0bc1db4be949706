/**
 * KFP trigger conditions → Kiln condition expressions. The CEL text is parsed
 * (see cel.ts), its `inputs.parameter_values['...']` operands are resolved like
 * any other input of the condition group, and casts KFP adds for typing
 * (`int(...)` of an integer input, `double(...)` of a number) are dropped: Kiln
 * compares ints and floats as numbers already. An if/elif/else chain becomes
 * one Kiln condition with ordered branches; KFP spells each Elif/Else as the
 * negation of every earlier branch `&&` its own test, which the first-match
 * rule makes redundant, so the negations are removed when they match.
 */
import type { ConditionBranch, Expr, KfpParameterType, Operand } from '@kiln/ir';
import { componentParam } from './bindings';
import { CelSyntaxError, parseCel, type CelExpr, type CelOperand } from './cel';
import type { DagContext } from './context';
import { parameterTypeOf } from './interface';
import type { At } from './reader';

const OPS = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const;

/** Parses a group task's `triggerPolicy.condition`; reports text outside the subset. */
export function parseCondition(at: At): CelExpr | undefined {
  const text = at.string();
  if (text === undefined) return undefined;
  try {
    return parseCel(text);
  } catch (error) {
    if (!(error instanceof CelSyntaxError)) throw error;
    return at.refuse(
      'dsl.If conditions',
      `"${text}" is not in the CEL subset KFP writes (${error.message} at character ${error.offset + 1})`,
    );
  }
}

/** A parsed condition as a Kiln expression; `ctx` is the condition group's own scope. */
export function toExpr(ctx: DagContext, cel: CelExpr, at: At): Expr | undefined {
  switch (cel.kind) {
    case 'not': {
      const arg = toExpr(ctx, cel.arg, at);
      return arg && { op: 'not', arg };
    }
    case 'and':
    case 'or': {
      const args = cel.args.map((a) => toExpr(ctx, a, at));
      if (args.some((a) => a === undefined)) return undefined;
      return { op: cel.kind, args: args as Expr[] };
    }
    case 'compare': {
      const left = operand(ctx, cel.left, at);
      const right = operand(ctx, cel.right, at);
      return left && right && { op: OPS[cel.op], left, right };
    }
  }
}

type Typed = { operand: Operand; numeric: 'int' | 'double' | false };

function operand(ctx: DagContext, cel: CelOperand, at: At): Operand | undefined {
  return typed(ctx, cel, at)?.operand;
}

function typed(ctx: DagContext, cel: CelOperand, at: At): Typed | undefined {
  if (cel.kind === 'literal') {
    const numeric = typeof cel.value === 'number' ? (Number.isInteger(cel.value) ? 'int' : 'double') : false;
    return { operand: { kind: 'constant', value: cel.value }, numeric };
  }
  if (cel.kind === 'cast') {
    const inner = typed(ctx, cel.operand, at);
    if (!inner) return undefined;
    const fits = cel.to === 'int' ? inner.numeric === 'int' : inner.numeric !== false;
    if (!fits) {
      return at.refuse(
        'dsl.If conditions',
        `${cel.to}(...) of a value that is not ${cel.to === 'int' ? 'an integer' : 'a number'}: Kiln does not convert values in conditions`,
      );
    }
    return { operand: inner.operand, numeric: cel.to };
  }
  const binding = componentParam(ctx, cel.name, [], at);
  if (!binding) return undefined;
  if (
    binding.kind !== 'constant' &&
    binding.kind !== 'param' &&
    binding.kind !== 'output' &&
    binding.kind !== 'loopItem'
  ) {
    return at.refuse(
      'dsl.If conditions',
      `a condition on a ${binding.kind} value: Kiln compares parameters, outputs, loop items and constants`,
    );
  }
  return { operand: binding, numeric: numericType(ctx, cel.name) };
}

/** Whether the group input is an integer or float parameter, from the group component's definitions. */
function numericType(ctx: DagContext, name: string): 'int' | 'double' | false {
  if (ctx.owner.kind !== 'group') return false;
  const definition = ctx.owner.group.component.child('inputDefinitions').child('parameters').child(name);
  const type: KfpParameterType | undefined = definition.missing ? undefined : parameterTypeOf(definition);
  return type === 'NUMBER_INTEGER' ? 'int' : type === 'NUMBER_DOUBLE' ? 'double' : false;
}

/** One branch of an if/elif/else chain, before simplification. */
export interface RawBranch {
  readonly cel: CelExpr;
  readonly ctx: DagContext;
  readonly at: At;
  readonly dag: ConditionBranch['dag'];
  /** KFP's group number (`condition-7` → 7), the order of the branches in the source. */
  readonly order: number;
}

/**
 * The branches of a `condition-branches-N` group in order, with KFP's negated
 * prefixes removed when they are exactly the earlier branches' tests; the last
 * branch becomes the otherwise branch when nothing else is left of it.
 */
export function chainBranches(raw: RawBranch[]): ConditionBranch[] | undefined {
  const conjuncts = (c: CelExpr): CelExpr[] => (c.kind === 'and' ? c.args : [c]);
  const negations = (c: CelExpr): number => conjuncts(c).filter((x) => x.kind === 'not').length;
  const sorted = [...raw].sort((a, b) => negations(a.cel) - negations(b.cel) || a.order - b.order);
  // own[k]: branch k's own test, once the negations of branches 0..k-1 are taken off its front.
  const own: CelExpr[][] = [];
  const simplified = sorted.every((branch, k) => {
    const parts = conjuncts(branch.cel);
    const negatesEarlier = parts
      .slice(0, k)
      .every((part, j) => part.kind === 'not' && own[j] !== undefined && sameCel(part.arg, andOf(own[j])));
    own.push(parts.slice(k));
    const isLast = k === sorted.length - 1;
    // Only the last branch (Else) may have no test of its own.
    return negatesEarlier && parts.length >= k && (isLast || parts.length > k);
  });
  const branches: ConditionBranch[] = [];
  for (const [k, branch] of sorted.entries()) {
    const rest = own[k] ?? [];
    if (simplified && rest.length === 0) {
      branches.push({ dag: branch.dag });
      continue;
    }
    const when = toExpr(branch.ctx, simplified ? andOf(rest) : branch.cel, branch.at);
    if (!when) return undefined;
    branches.push({ when, dag: branch.dag });
  }
  return branches;
}

function andOf(parts: CelExpr[]): CelExpr {
  return parts.length === 1 ? (parts[0] as CelExpr) : { kind: 'and', args: parts };
}

function sameCel(a: CelExpr, b: CelExpr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
