/**
 * DSL errors. Mistakes in a pipeline's source are thrown at once, while the
 * pipeline body runs, as {@link DslError}; problems found when the whole graph
 * is compiled and validated are collected into one {@link CompileError}.
 */
import type { IrError } from '@kiln/ir';

/** A mistake in pipeline source, raised where it happens. `task` and `input` say where. */
export class DslError extends Error {
  override readonly name = 'DslError';
  readonly task?: string;
  readonly input?: string;
  constructor(message: string, where: { task?: string; input?: string; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    if (where.task !== undefined) this.task = where.task;
    if (where.input !== undefined) this.input = where.input;
  }
}

/** One problem found while compiling: a JSON path into the IR and a sentence. */
export interface CompileProblem {
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

/** `compile()` found problems; `problems` lists every one of them. */
export class CompileError extends Error {
  override readonly name = 'CompileError';
  readonly pipeline: string;
  readonly problems: readonly CompileProblem[];
  constructor(pipeline: string, problems: readonly CompileProblem[]) {
    super(
      `pipeline '${pipeline}' does not compile (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.pipeline = pipeline;
    this.problems = problems;
  }

  /** Wraps the IR validator's errors. */
  static fromIr(pipeline: string, errors: readonly IrError[]): CompileError {
    return new CompileError(
      pipeline,
      errors.map((e) => ({ code: e.code, path: e.path, message: e.message })),
    );
  }
}
