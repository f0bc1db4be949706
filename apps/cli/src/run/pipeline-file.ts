/**
 * A pipeline file as `kiln run`, `compile`, `validate` and `pipelines upload`
 * read it: Kiln IR (JSON or YAML), or Kubeflow Pipelines v2 YAML (what
 * `kfp.compiler` writes, with or without the Kubernetes platform document),
 * translated to IR by `@kiln/kfp`. Errors name the file and, for KFP YAML,
 * each problem's YAML path, line and KFP feature.
 */
import { readFileSync } from 'node:fs';
import { detectKfp, KfpTranslationError, translateKfpPipeline } from '@kiln/kfp';
import { formatIrError, inputLimits, parseSpec, screenInputText, type InputLimits, type PipelineSpec } from '@kiln/ir';
import { integer } from '@kiln/config';
import { CliError } from '../errors';

/** The variable that raises each limit. */
const limitSetting: Record<keyof InputLimits, string> = {
  maxDepth: 'raise it with KILN_MAX_INPUT_DEPTH',
  maxYamlTokens: 'raise it with KILN_MAX_YAML_TOKENS, or write the pipeline as JSON',
  maxYamlAliases: 'raise it with KILN_MAX_YAML_ALIASES',
};

/**
 * The limits on pipeline files: `@kiln/ir`'s defaults, or `KILN_MAX_INPUT_DEPTH`,
 * `KILN_MAX_YAML_TOKENS` and `KILN_MAX_YAML_ALIASES` (the API's settings of the same names).
 */
export function cliInputLimits(env: NodeJS.ProcessEnv): InputLimits {
  const read = (name: string, min: number, max: number): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const parsed = integer(min, max).safeParse(value);
    if (!parsed.success) throw new CliError(`${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  };
  const maxDepth = read('KILN_MAX_INPUT_DEPTH', 8, 1000);
  const maxYamlTokens = read('KILN_MAX_YAML_TOKENS', 1000, 100_000_000);
  const maxYamlAliases = read('KILN_MAX_YAML_ALIASES', 0, 10_000);
  return inputLimits({
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(maxYamlTokens !== undefined ? { maxYamlTokens } : {}),
    ...(maxYamlAliases !== undefined ? { maxYamlAliases } : {}),
  });
}

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
export function readPipelineFile(file: string, env: NodeJS.ProcessEnv = process.env): PipelineFile {
  const text = readFileSync(file, 'utf8');
  const limits = cliInputLimits(env);
  // Before any parser: detectKfp reads every file as YAML, and a file nested thousands deep would overflow it.
  const screened = screenInputText(text, limits);
  if (!screened.ok) {
    const { problem } = screened;
    throw new CliError(
      `${file}:${problem.line ?? 1}:${problem.column ?? 1}: ${problem.message} (${limitSetting[problem.limit]})`,
    );
  }
  const kind = detectKfp(screened.json !== undefined ? [screened.json] : text);
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
  const result = parseSpec(text, { source: file, limits });
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
