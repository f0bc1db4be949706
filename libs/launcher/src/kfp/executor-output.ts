/**
 * Reading a KFP program's results back after it exited 0: each output
 * parameter from `executor_output.json` (what a Python component returned) or
 * else from its output file (what a container component wrote), and each
 * output artifact's metadata from `executor_output.json` (how
 * `Metrics.log_metric` arrives). The artifacts themselves are published from
 * their local paths like any step's.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { JsonValue } from '@kiln/ir';
import { LaunchError } from '../errors';
import type { WorkLayout } from '../layout';
import { checkParamValue, parseParamText } from '../param-values';
import type { LaunchRequest } from '../request';
import { kfpExecutorOutputFile } from './local-paths';

/** Output parameters and artifact metadata of a KFP step, as the publish phase takes them. */
export interface KfpResults {
  params: Record<string, JsonValue>;
  artifacts: Record<string, { metadata: Record<string, JsonValue> }>;
}

interface ExecutorOutputFile {
  parameterValues: Record<string, unknown>;
  artifacts: Record<string, unknown>;
}

// KFP writes no file for these: their content is their metadata.
const metadataOnlyTitles = new Set([
  'system.Metrics',
  'system.ClassificationMetrics',
  'system.SlicedClassificationMetrics',
]);

/**
 * Reads the results of a step that speaks KFP's executor protocol. A metrics
 * artifact the program did not write as a file gets its metadata as JSON
 * content, so it has something to publish and a digest.
 *
 * @example
 * ```ts
 * const { params, artifacts } = await readKfpResults(request, layout);
 * params.Output;                       // 0.93
 * artifacts.metrics.metadata.accuracy; // 0.93
 * ```
 */
export async function readKfpResults(request: LaunchRequest, layout: WorkLayout): Promise<KfpResults> {
  const written = await readExecutorOutputFile(kfpExecutorOutputFile(layout));
  const params: Record<string, JsonValue> = {};
  for (const [name, type] of Object.entries(request.outputs.params)) {
    if (name in written.parameterValues) {
      params[name] = checkParamValue(name, type, written.parameterValues[name]);
      continue;
    }
    const text = await readFile(layout.outputParamFile(name), 'utf8').catch(() => undefined);
    if (text === undefined) {
      throw new LaunchError(
        'user',
        'MissingOutputParam',
        `output parameter "${name}" was neither returned (executor_output.json) nor written to its output file`,
      );
    }
    params[name] = parseParamText(name, type, text);
  }
  const artifacts: KfpResults['artifacts'] = {};
  for (const [name, out] of Object.entries(request.outputs.artifacts)) {
    const metadata = artifactMetadata(written.artifacts[name], name);
    artifacts[name] = { metadata };
    const path = layout.outputArtifact(name, out.uri);
    if (isMetadataOnly(request, name) && !(await exists(path))) {
      await writeFile(path, `${JSON.stringify(metadata, null, 2)}\n`);
    }
  }
  return { params, artifacts };
}

function isMetadataOnly(request: LaunchRequest, name: string): boolean {
  const impl = request.component.implementation;
  const ioType = impl.type === 'container' ? impl.kfp?.outputs[name] : undefined;
  if (ioType && 'schemaTitle' in ioType) return metadataOnlyTitles.has(ioType.schemaTitle);
  const type = request.outputs.artifacts[name]?.type;
  return type === 'metrics' || type === 'classificationMetrics';
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function readExecutorOutputFile(path: string): Promise<ExecutorOutputFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    // Optional: a container component reports through its output files only.
    return { parameterValues: {}, artifacts: {} };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LaunchError('user', 'InvalidExecutorOutput', `executor_output.json at ${path} is not JSON`);
  }
  if (!isObject(value)) {
    throw new LaunchError('user', 'InvalidExecutorOutput', `executor_output.json at ${path} must hold a JSON object`);
  }
  return {
    parameterValues: isObject(value['parameterValues']) ? value['parameterValues'] : {},
    artifacts: isObject(value['artifacts']) ? value['artifacts'] : {},
  };
}

/** `artifacts[name].artifacts[0].metadata` of executor_output.json, or `{}`. */
function artifactMetadata(entry: unknown, name: string): Record<string, JsonValue> {
  if (entry === undefined) return {};
  const list = isObject(entry) ? entry['artifacts'] : undefined;
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  const metadata = isObject(first) ? (first['metadata'] ?? {}) : undefined;
  if (!isObject(metadata)) {
    throw new LaunchError(
      'user',
      'InvalidExecutorOutput',
      `executor_output.json: artifacts.${name} must be { artifacts: [{ metadata: {...} }] }`,
    );
  }
  return JSON.parse(JSON.stringify(metadata)) as Record<string, JsonValue>;
}
