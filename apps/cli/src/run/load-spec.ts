/**
 * Loads the pipeline `kiln run` starts: a TypeScript/JavaScript module (compiled
 * with `@kiln/dsl`, through the same loader as `kiln compile`) or an IR file
 * (JSON or YAML, validated).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compile, CompileError, DslError } from '@kiln/dsl';
import { formatIrError, parseSpec, type PipelineSpec } from '@kiln/ir';
import { exportedPipelines, importModule, pickPipeline } from '../commands/compile';
import { CliError } from '../errors';

export async function loadSpec(file: string, pipeline?: string): Promise<PipelineSpec> {
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`file not found: ${file}`);
  if (/\.(json|ya?ml)$/i.test(path)) {
    const result = parseSpec(readFileSync(path, 'utf8'), { source: file });
    if (!result.ok) {
      throw new CliError(
        `${file} is not a valid pipeline:\n${result.errors.map((e) => `  ${formatIrError(e)}`).join('\n')}`,
      );
    }
    if (pipeline !== undefined && result.spec.pipeline.name !== pipeline) {
      throw new CliError(`${file} holds pipeline '${result.spec.pipeline.name}', not '${pipeline}'`);
    }
    return result.spec;
  }
  try {
    const mod = await importModule(path);
    return compile(pickPipeline(file, exportedPipelines(mod), pipeline));
  } catch (err) {
    if (err instanceof CompileError || err instanceof DslError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
}
