/**
 * A pipeline file as `kiln run`, `compile`, `validate` and `pipelines upload`
 * read it: Kiln IR (JSON or YAML), or Kubeflow Pipelines v2 YAML (what
 * `kfp.compiler` writes, with or without the Kubernetes platform document),
 * translated to IR by `@kiln/kfp`. Errors name the file and, for KFP YAML,
 * each problem's YAML path, line and KFP feature.
 */
import { readFileSync } from 'node:fs';
import { detectKfp, KfpTranslationError, translateKfpPipeline } from '@kiln/kfp';
import { formatIrError, parseSpec, type PipelineSpec } from '@kiln/ir';
import { CliError } from '../errors';

/** A pipeline read from a file, and what it was written as. */
export interface PipelineFile {
  spec: PipelineSpec;
  /** `kfp` when the file was KFP pipeline YAML, translated. */
  format: 'ir' | 'kfp';
}

/** Whether `kiln` reads `path` as a pipeline file (rather than a TypeScript/JavaScript module). */
export function isPipelineFile(path: string): boolean {
  return /\.(json|ya?ml)$/i.test(path);
}

/**
 * Reads an IR or KFP pipeline file.
 *
 * @example
 * ```ts
 * const { spec, format } = readPipelineFile('pipeline.yaml'); // format 'kfp' for kfp.compiler output
 * ```
 */
export function readPipelineFile(file: string): PipelineFile {
  const text = readFileSync(file, 'utf8');
  const kind = detectKfp(text);
  if (kind === 'component' || kind === 'component-v1') {
    throw new CliError(
      `${file} is a KFP component (${kind === 'component' ? 'compiled component YAML' : 'v1 component.yaml'}), not a pipeline: ` +
        `use it in a pipeline (loadComponent in a Kiln pipeline, or in the KFP pipeline you compile)`,
    );
  }
  if (kind === 'pipeline' || kind === 'pipeline+platform') {
    try {
      return { spec: translateKfpPipeline(text, { source: file }), format: 'kfp' };
    } catch (error) {
      if (error instanceof KfpTranslationError)
        throw new CliError(`${file} is KFP pipeline YAML, but ${lower(error.message)}`);
      throw error;
    }
  }
  const result = parseSpec(text, { source: file });
  if (!result.ok) {
    throw new CliError(
      `${file} is not a valid pipeline (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}):\n${result.errors.map((e) => `  ${formatIrError(e)}`).join('\n')}`,
    );
  }
  return { spec: result.spec, format: 'ir' };
}

function lower(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}
