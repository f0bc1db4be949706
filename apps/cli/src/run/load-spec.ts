/**
 * Loads the pipeline `kiln run` starts: a TypeScript/JavaScript module (compiled
 * with `@kiln/dsl`, through the same loader as `kiln compile`), an IR file
 * (JSON or YAML, validated) or KFP pipeline YAML (translated).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { compile, CompileError, DslError } from '@kiln/dsl';
import type { PipelineSpec } from '@kiln/ir';
import { exportedPipelines, importModule, pickPipeline } from '../commands/compile';
import { CliError } from '../errors';
import { isPipelineFile, readPipelineFile } from './pipeline-file';

export async function loadSpec(file: string, pipeline?: string): Promise<PipelineSpec> {
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`file not found: ${file}`);
  if (isPipelineFile(path)) {
    const { spec } = readPipelineFile(file);
    if (pipeline !== undefined && spec.pipeline.name !== pipeline) {
      throw new CliError(`${file} holds pipeline '${spec.pipeline.name}', not '${pipeline}'`);
    }
    return spec;
  }
  try {
    const mod = await importModule(path);
    return compile(pickPipeline(file, exportedPipelines(mod), pipeline));
  } catch (err) {
    if (err instanceof CompileError || err instanceof DslError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
}
