/**
 * Pipeline uploads may be Kubeflow Pipelines v2 YAML (what `kfp.compiler`
 * writes, with or without the Kubernetes platform document): recognised by
 * `detectKfp` and translated to Kiln IR by `@kiln/kfp`. A KFP file that cannot
 * be translated is a 422 listing each problem with its YAML path and KFP
 * feature, like IR errors list their JSON paths.
 */
import { detectKfp, KfpTranslationError, translateKfpPipeline, type KfpInput } from '@kiln/kfp';
import { parseSpec, screenInputText, type InputLimits, type PipelineSpec } from '@kiln/ir';
import { ApiError } from '../errors';
import { inputLimitError } from '../input-limits';
import { invalidPipeline } from './ir-errors';

/**
 * The IR an upload stands for: KFP pipeline YAML translated, anything else parsed as IR.
 *
 * @example
 * ```ts
 * const spec = specOfUpload(request.body, deps.limits.input); // KFP YAML or Kiln IR (JSON/YAML)
 * ```
 */
export function specOfUpload(body: string, limits: InputLimits): PipelineSpec {
  // Before any YAML parser sees it: detectKfp parses every upload, JSON included.
  const screened = screenInputText(body, limits);
  if (!screened.ok) throw inputLimitError(screened.problem, 'body');
  const documents = screened.json !== undefined ? [screened.json] : body;
  const kind = detectKfp(documents);
  if (kind === 'component' || kind === 'component-v1') {
    throw new ApiError(
      422,
      'invalid-pipeline',
      `this is a KFP component (${kind === 'component' ? 'compiled component YAML' : 'v1 component.yaml'}), not a pipeline: upload the pipeline that uses it`,
      [{ path: '$', code: 'kfp-component', message: 'a KFP component is not a pipeline' }],
    );
  }
  if (kind === 'pipeline' || kind === 'pipeline+platform') return translated(documents);
  const parsed = parseSpec(body, { limits });
  if (!parsed.ok) throw invalidPipeline(parsed.errors);
  return parsed.spec;
}

function translated(body: KfpInput): PipelineSpec {
  try {
    return translateKfpPipeline(body, { source: 'upload' });
  } catch (error) {
    if (!(error instanceof KfpTranslationError)) throw error;
    const details = error.problems.map((p) => ({
      path: p.path,
      code: 'kfp-unsupported',
      message: `${p.message} [${p.feature}]`,
      feature: p.feature,
      document: p.document,
      ...(p.line !== undefined ? { line: p.line, column: p.column } : {}),
    }));
    const first = error.problems[0];
    throw new ApiError(
      422,
      'invalid-pipeline',
      `the KFP pipeline cannot be translated to Kiln IR (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'})${first ? `; first: ${first.path}: ${first.message} [${first.feature}]` : ''}`,
      details,
    );
  }
}
