/**
 * if / elif / else: the first branch whose `when` holds runs in the parent's
 * scope (so `oneOf` and downstream tasks see its outputs); the others are skipped.
 * A condition that cannot be evaluated (an operand's task produced nothing)
 * counts as false, and the reason is recorded on the skipped tasks.
 */
import type { ConditionNode, Operand } from '@kiln/ir';
import type { DagEnv, ExecutionContext } from './context';
import { runDag } from './dag';
import { ConditionError, evaluate } from './expr';
import type { Outcome } from './outcome';
import type { Scope } from './scope';
import { markDag } from './skip';

export async function runCondition(
  ctx: ExecutionContext,
  id: string,
  node: ConditionNode,
  scope: Scope,
  env: DagEnv,
): Promise<Outcome> {
  const resolveOperand = (operand: Operand) => {
    const resolved = scope.resolve(operand);
    // An artifact compares as its reference (uri, type, digest, metadata), like any JSON object.
    return resolved.ok ? resolved.value.value : undefined;
  };
  let chosen: number | undefined;
  const notes: string[] = [];
  for (const [index, branch] of node.branches.entries()) {
    if (!branch.when) {
      chosen = index;
      break;
    }
    try {
      if (evaluate(branch.when, resolveOperand)) {
        chosen = index;
        break;
      }
    } catch (error) {
      if (!(error instanceof ConditionError)) throw error;
      notes.push(`branch ${index + 1}: ${error.message}`);
    }
  }
  for (const [index, branch] of node.branches.entries()) {
    if (index !== chosen) {
      const why = chosen === undefined ? 'no branch' : `branch ${chosen + 1}`;
      markDag(
        ctx,
        branch.dag,
        scope,
        `condition "${id}": ${why} was taken${notes.length ? ` (${notes.join('; ')})` : ''}`,
      );
    }
  }
  if (chosen === undefined) return 'skipped';
  scope.branches.set(id, chosen);
  return runDag(ctx, (node.branches[chosen] as ConditionNode['branches'][number]).dag, scope, env);
}
