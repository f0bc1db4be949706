/**
 * What the translator refuses, as data: where in the KFP YAML (a dotted path
 * like `root.dag.tasks.train.componentRef`, plus the document and line when the
 * text was given), which KFP feature, and why. A translation either succeeds
 * completely or throws one {@link KfpTranslationError} listing every problem:
 * nothing is dropped silently.
 */

/** One thing in a KFP document that cannot be translated (or is malformed). */
export interface KfpProblem {
  /** Dotted path into the YAML document, e.g. `deploymentSpec.executors.exec-train.container.resources`. */
  readonly path: string;
  /** The KFP feature, in KFP's words (`kubernetes.use_field_path_as_env`, `dsl.importer metadata from a parameter`...). */
  readonly feature: string;
  /** Why it cannot be translated, and what to do instead when there is something. */
  readonly message: string;
  /** 1-based document index in a multi-document file (2 = the Kubernetes platform spec). */
  readonly document: number;
  /** 1-based position of the value in the text, when the translator was given text. */
  readonly line?: number;
  readonly column?: number;
}

/** `pipeline.yaml:12:5 (document 2): platforms.kubernetes...: message [feature]`. */
export function formatKfpProblem(problem: KfpProblem, source?: string): string {
  let where = source ?? '';
  if (problem.line !== undefined) where += `${where ? ':' : 'line '}${problem.line}:${problem.column ?? 1}`;
  if (problem.document > 1) where += `${where ? ' ' : ''}(document ${problem.document})`;
  return `${where ? `${where}: ` : ''}${problem.path}: ${problem.message} [${problem.feature}]`;
}

/**
 * Thrown when a KFP document cannot be translated: carries every problem found.
 * Never worth retrying: the same YAML fails the same way.
 *
 * @example
 * ```ts
 * try {
 *   translateKfpPipeline(text);
 * } catch (error) {
 *   if (error instanceof KfpTranslationError) for (const p of error.problems) console.error(formatKfpProblem(p));
 * }
 * ```
 */
export class KfpTranslationError extends Error {
  override readonly name = 'KfpTranslationError';
  readonly nonRetryable = true;
  constructor(
    readonly problems: readonly KfpProblem[],
    readonly source?: string,
  ) {
    super(
      `Cannot translate this KFP YAML to Kiln IR (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${formatKfpProblem(p, source)}`).join('\n'),
    );
  }
}
