/**
 * `@kiln/kfp`: Kubeflow Pipelines v2 YAML → Kiln IR.
 *
 * - {@link detectKfp}: is this text KFP YAML, and which kind (pipeline, pipeline
 *   with its Kubernetes platform spec, compiled component, v1 `component.yaml`)?
 * - {@link translateKfpPipeline}: a PipelineSpec (and platform spec) → a Kiln
 *   pipeline spec that passes `validateSpec`. KFP's group DAGs (conditions,
 *   loops, if/elif/else, exit handlers) become Kiln control flow, the
 *   `pipelinechannel--` renames are undone, CEL conditions become Kiln's
 *   condition AST, task and platform settings become Kiln task settings.
 * - {@link translateKfpComponent}: a component → a Kiln component (plus the
 *   components a pipeline-as-component uses).
 * - Everything that cannot be mapped is refused: a {@link KfpTranslationError}
 *   lists each {@link KfpProblem} with its YAML path and KFP feature.
 *
 * Containers that speak KFP's executor protocol (every lightweight Python
 * component) keep their command; the `executorInput` placeholder and the
 * container's `kfp` block tell the launcher how to feed them (docs/ir.md).
 *
 * Pure: no file system, no network. Callers read the file and pass its text.
 *
 * @example
 * ```ts
 * import { detectKfp, translateKfpPipeline, KfpTranslationError, formatKfpProblem } from '@kiln/kfp';
 *
 * const text = readFileSync('pipeline.yaml', 'utf8');
 * if (detectKfp(text)) {
 *   try {
 *     const spec = translateKfpPipeline(text, { source: 'pipeline.yaml' });
 *     console.log(Object.keys(spec.root.tasks));
 *   } catch (error) {
 *     if (!(error instanceof KfpTranslationError)) throw error;
 *     for (const problem of error.problems) console.error(formatKfpProblem(problem, 'pipeline.yaml'));
 *   }
 * }
 * ```
 *
 * @packageDocumentation
 */
export { detectKfp, type KfpKind } from './detect';
export { translateKfpPipeline, translateKfpComponent, type KfpComponent, type TranslateOptions } from './translate';
export { KfpTranslationError, formatKfpProblem, type KfpProblem } from './errors';
export { parseCel, CelSyntaxError, type CelExpr, type CelOperand, type CelComparator } from './cel';
export type { KfpInput } from './source';
