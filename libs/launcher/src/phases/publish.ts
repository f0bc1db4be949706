/**
 * Phase 4 of a step, after the command exited 0: the output parameters read
 * and type-checked (from their files, or from the Python shim's answer), the
 * output artifacts uploaded with their sha256 digests and metadata, and the
 * executor-output record written once.
 */
import { lstat, readFile, stat } from 'node:fs/promises';
import type { ArtifactStore } from '@kiln/artifacts';
import { ArtifactExistsError, type RecordStore } from '@kiln/artifacts/light';
import type { JsonValue } from '@kiln/ir';
import { executorOutputKey, executorOutputSchema } from '@kiln/store-layout/light';
import { LaunchError, configurationError } from '../errors';
import type { WorkLayout } from '../layout';
import { readKfpResults } from '../kfp/executor-output';
import { parseParamText } from '../param-values';
import { readShimResult, type ShimResult } from '../python/python-step';
import { checkOutputLinks } from './output-links';
import type { ExecutorOutput, LaunchArtifact, LaunchRequest } from '../request';

export interface PublishOptions {
  /** Progress lines (one per artifact), for a log. */
  say?: (line: string) => void;
}

/** What a step produced, as the executor-output record lists it. */
export type PublishedOutputs = Pick<ExecutorOutput, 'outputs' | 'metrics'>;

/**
 * Reads the output parameters and uploads the output artifacts of a step whose
 * command succeeded. A missing or mistyped output is a user failure naming it.
 * `store` may be undefined only for a request without output artifacts (nothing
 * is uploaded then), so a launcher need not open a full store for such a step.
 *
 * @example
 * ```ts
 * const { outputs, metrics } = await publishOutputs(request, store, layout);
 * outputs.artifacts.model.digest; // 'sha256:…'
 * ```
 */
export async function publishOutputs(
  request: LaunchRequest,
  store: ArtifactStore | undefined,
  layout: WorkLayout,
  options: PublishOptions = {},
): Promise<PublishedOutputs> {
  // Before anything is read or uploaded: a link out of the output folder publishes nothing at all.
  await checkOutputsStayInFolder(request, layout);
  const impl = request.component.implementation;
  // Both answer with parameters and artifact metadata: the Python shim, and a program speaking KFP's protocol.
  const shim =
    impl.type === 'python'
      ? await readShimResult(request, layout)
      : impl.type === 'container' && impl.kfp
        ? await readKfpResults(request, layout)
        : undefined;
  const params = shim ? shim.params : await readOutputParams(request, layout);
  const { artifacts, metrics } = await publishArtifacts(request, store, layout, shim, options);
  return { outputs: { params, artifacts }, metrics };
}

/**
 * Writes the executor-output record unless one exists, and returns the record
 * that stands: a concurrent or earlier run of the same attempt that got there
 * first wins.
 *
 * @example
 * ```ts
 * const record = await writeExecutorOutput(store, { executionKey, exitCode: 0, startedAt, finishedAt, logUri, ...published });
 * ```
 */
export async function writeExecutorOutput(store: RecordStore, record: ExecutorOutput): Promise<ExecutorOutput> {
  const key = executorOutputKey(record.executionKey);
  try {
    await store.writeJson(key, record, { ifAbsent: true });
    return record;
  } catch (error) {
    if (error instanceof ArtifactExistsError) return store.readJson(key, executorOutputSchema);
    throw error;
  }
}

/** Every output artifact, parameter file and metadata file the step left: none may be a link out of its folder. */
async function checkOutputsStayInFolder(request: LaunchRequest, layout: WorkLayout): Promise<void> {
  const exists = (path: string) =>
    lstat(path).then(
      () => true,
      () => false,
    );
  for (const [name, out] of Object.entries(request.outputs.artifacts)) {
    const path = layout.outputArtifact(name, out.uri);
    if (await exists(path)) await checkOutputLinks(path, `output artifact "${name}"`);
    const metadata = layout.outputMetadataFile(name);
    if (await exists(metadata)) await checkOutputLinks(metadata, `the outputMetadata file of "${name}"`);
  }
  // A parameter's value is shown to every viewer: a link to a host file must not become one.
  for (const name of Object.keys(request.outputs.params)) {
    const file = layout.outputParamFile(name);
    if (await exists(file)) await checkOutputLinks(file, `output parameter "${name}"`);
  }
}

async function readOutputParams(request: LaunchRequest, layout: WorkLayout): Promise<Record<string, JsonValue>> {
  const params: Record<string, JsonValue> = {};
  for (const [name, type] of Object.entries(request.outputs.params)) {
    let text: string;
    const file = layout.outputParamFile(name);
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new LaunchError(
        'user',
        'MissingOutputParam',
        `output parameter "${name}" was not written to its outputPath`,
      );
    }
    params[name] = parseParamText(name, type, text);
  }
  return params;
}

async function readMetadataFile(path: string, name: string): Promise<Record<string, JsonValue>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LaunchError('user', 'InvalidOutputMetadata', `the outputMetadata file of "${name}" is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LaunchError(
      'user',
      'InvalidOutputMetadata',
      `the outputMetadata file of "${name}" must hold a JSON object`,
    );
  }
  return value as Record<string, JsonValue>;
}

async function publishArtifacts(
  request: LaunchRequest,
  store: ArtifactStore | undefined,
  layout: WorkLayout,
  shim: ShimResult | undefined,
  options: PublishOptions,
): Promise<{ artifacts: Record<string, LaunchArtifact>; metrics: ExecutorOutput['metrics'] }> {
  const artifacts: Record<string, LaunchArtifact> = {};
  const metrics: ExecutorOutput['metrics'] = {};
  for (const [name, out] of Object.entries(request.outputs.artifacts)) {
    if (!store) throw new Error(`BUG: output artifact "${name}" to publish, but publishOutputs was given no store`);
    const path = layout.outputArtifact(name, out.uri);
    if (
      !(await stat(path).then(
        () => true,
        () => false,
      ))
    ) {
      throw new LaunchError('user', 'MissingOutputArtifact', `output artifact "${name}" was not written at ${path}`);
    }
    const metadata = shim
      ? (shim.artifacts[name]?.metadata ?? {})
      : await readMetadataFile(layout.outputMetadataFile(name), name);
    let key: string;
    try {
      key = store.keyOf(out.uri);
    } catch {
      throw configurationError(
        `output "${name}" goes to ${out.uri}, which is not in the store at ${store.url}`,
        'OutputOutsideStore',
      );
    }
    // Overwrite, not create: a retry of this same attempt after a crash re-publishes the same outputs.
    const written = await store.putPath(key, path, { metadata });
    artifacts[name] = { uri: out.uri, type: out.type, digest: written.digest, metadata };
    if (out.type === 'metrics' || out.type === 'classificationMetrics') metrics[name] = metadata;
    options.say?.(`output ${name}: ${out.uri} (${written.size} bytes, ${written.digest})`);
  }
  return { artifacts, metrics };
}
