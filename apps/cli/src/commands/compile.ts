/**
 * `kiln compile <file> [--pipeline <export>] [-o out.json|out.yaml]`: loads a
 * TypeScript or JavaScript module, picks its exported pipeline, compiles it
 * and writes canonical IR. Given KFP pipeline YAML (or IR), it writes the
 * (translated) canonical IR.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile, CompileError, DslError, isPipeline, type AnyPipeline as Pipeline } from '@kiln/dsl';
import { canonicalize, toYaml, type PipelineSpec } from '@kiln/ir';
import { CliError } from '../errors';
import { isPipelineFile, readPipelineFile } from '../run/pipeline-file';

export interface CompileOptions {
  pipeline?: string;
  output?: string;
}

/** Imports a user module; under `node --import tsx` (bin/kiln) TypeScript loads directly. */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      const { tsImport } = (await import('tsx/esm/api')) as {
        tsImport: (u: string, parent: string) => Promise<Record<string, unknown>>;
      };
      return tsImport(url, url);
    }
    throw err;
  }
}

/** The pipelines a module exports, by export name. */
export function exportedPipelines(mod: Record<string, unknown>): Map<string, Pipeline> {
  const found = new Map<string, Pipeline>();
  for (const [name, value] of Object.entries(mod)) if (isPipeline(value)) found.set(name, value);
  return found;
}

export function pickPipeline(file: string, pipelines: Map<string, Pipeline>, wanted: string | undefined): Pipeline {
  if (wanted !== undefined) {
    const byExport = pipelines.get(wanted);
    const byName = [...pipelines.values()].find((p) => p.pipelineName === wanted);
    const picked = byExport ?? byName;
    if (picked === undefined) {
      throw new CliError(
        `${file} exports no pipeline '${wanted}'${pipelines.size ? `; it exports: ${describe(pipelines)}` : ''}`,
      );
    }
    return picked;
  }
  if (pipelines.size === 0)
    throw new CliError(
      `${file} exports no pipeline; export one: export const myPipeline = pipeline({ name, params }, (p) => { ... })`,
    );
  if (pipelines.size > 1)
    throw new CliError(
      `${file} exports ${pipelines.size} pipelines; choose one with --pipeline <export>: ${describe(pipelines)}`,
    );
  return [...pipelines.values()][0] as Pipeline;
}

function describe(pipelines: Map<string, Pipeline>): string {
  return [...pipelines.entries()].map(([exp, p]) => `${exp} (${p.pipelineName})`).join(', ');
}

/** Runs the command; returns the text written to stdout (empty with -o). */
export async function compileCommand(file: string, options: CompileOptions): Promise<string> {
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`file not found: ${file}`);
  // A pipeline file (IR, or KFP YAML translated): its canonical IR.
  if (isPipelineFile(path)) return writeIr(readPipelineFile(file).spec, options.output);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(path);
  } catch (err) {
    if (err instanceof DslError) throw new CliError(`${file}: ${err.message}`);
    throw new CliError(`cannot load ${file}: ${(err as Error).stack ?? String(err)}`);
  }
  const pipeline = pickPipeline(file, exportedPipelines(mod), options.pipeline);
  let spec: PipelineSpec;
  try {
    spec = compile(pipeline);
  } catch (err) {
    if (err instanceof CompileError || err instanceof DslError) throw new CliError(`${file}: ${err.message}`);
    throw err;
  }
  return writeIr(spec, options.output);
}

/** Canonical IR to stdout (returned) or to `output` (.json, or .yaml/.yml). */
function writeIr(spec: PipelineSpec, output: string | undefined): string {
  const text = output !== undefined && /\.ya?ml$/i.test(output) ? toYaml(spec) : canonicalize(spec);
  if (output === undefined) return text;
  mkdirSync(dirname(resolve(output)), { recursive: true });
  writeFileSync(output, text);
  return '';
}
