/**
 * The sidecar's half of the launcher protocol: wait until the main container
 * has recorded its exit code, then (on exit code 0) read the output parameters,
 * upload the output artifacts with their digests and write the executor-output
 * record. Artifact bytes go from the pod straight to the store; the worker only
 * reads the small record.
 *
 * This belongs in `@kiln/launcher` (a `publish` phase split out of `runStep`);
 * it lives here until the launcher exposes one.
 */
import { readFile, stat } from 'node:fs/promises';
import { ArtifactExistsError, type ArtifactStore } from '@kiln/artifacts';
import type { JsonValue } from '@kiln/ir';
import {
  executorOutputKey,
  LaunchError,
  logKey,
  parseParamText,
  WorkLayout,
  type ExecutorOutput,
  type LaunchArtifact,
  type LaunchRequest,
} from '@kiln/launcher';

export interface PublishOptions {
  store: ArtifactStore;
  requestKey: string;
  workDir: string;
  exitCodeFile: string;
  /** Written by the fetch phase when the work folder was ready (ISO time). */
  startedAtFile?: string;
  /** Aborted when the pod stops the sidecar (SIGTERM): look one last time, then give up waiting. */
  stop: AbortSignal;
  pollMs?: number;
  say?: (line: string) => void;
}

export type PublishOutcome =
  | { published: true; record: ExecutorOutput }
  | { published: false; why: 'non-zero-exit'; exitCode: number }
  | { published: false; why: 'no-exit-code' };

/** The exit code once the wrapper has written it whole (a trailing newline marks a complete write). */
async function readExitCode(file: string): Promise<{ code: number; at: Date } | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    if (!/^\d+\n$/.test(text)) return undefined;
    return { code: Number(text.trim()), at: (await stat(file)).mtime };
  } catch {
    return undefined;
  }
}

async function waitForExitCode(options: PublishOptions): Promise<{ code: number; at: Date } | undefined> {
  for (;;) {
    const found = await readExitCode(options.exitCodeFile);
    if (found) return found;
    // The wrapper writes the file before main exits, and the pod stops sidecars only after main exits.
    if (options.stop.aborted) return undefined;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

/**
 * Waits for the main container, then publishes its outputs.
 *
 * @example
 * ```ts
 * const outcome = await publishOutputs({ store, requestKey, workDir: '/kiln/work', exitCodeFile: '/kiln/exit-code', stop });
 * ```
 */
export async function publishOutputs(options: PublishOptions): Promise<PublishOutcome> {
  const say = options.say ?? (() => undefined);
  const exit = await waitForExitCode(options);
  if (!exit) {
    say('main container stopped without recording an exit code (killed); nothing to publish');
    return { published: false, why: 'no-exit-code' };
  }
  if (exit.code !== 0) {
    say(`main container exited ${exit.code}; outputs are not published`);
    return { published: false, why: 'non-zero-exit', exitCode: exit.code };
  }
  const { store } = options;
  const request = await store.readJson<LaunchRequest>(options.requestKey);
  const layout = new WorkLayout(options.workDir);

  const params: Record<string, JsonValue> = {};
  for (const [name, type] of Object.entries(request.outputs.params)) {
    let text: string;
    try {
      text = await readFile(layout.outputParamFile(name), 'utf8');
    } catch {
      throw new LaunchError('user', 'MissingOutputParam', `output parameter "${name}" was not written to its outputPath`);
    }
    params[name] = parseParamText(name, type, text);
  }

  const artifacts: Record<string, LaunchArtifact> = {};
  const metrics: ExecutorOutput['metrics'] = {};
  for (const [name, out] of Object.entries(request.outputs.artifacts)) {
    const path = layout.outputArtifact(name, out.uri);
    if (!(await stat(path).then(() => true, () => false))) {
      throw new LaunchError('user', 'MissingOutputArtifact', `output artifact "${name}" was not written at ${path}`);
    }
    const metadata = await readMetadata(layout.outputMetadataFile(name), name);
    // Overwrite, not create: a retry of this same attempt re-publishes the same outputs.
    const written = await store.putPath(store.keyOf(out.uri), path, { metadata });
    artifacts[name] = { uri: out.uri, type: out.type, digest: written.digest, metadata };
    if (out.type === 'metrics' || out.type === 'classificationMetrics') metrics[name] = metadata;
    say(`output ${name}: ${out.uri} (${written.size} bytes, ${written.digest})`);
  }

  const record: ExecutorOutput = {
    executionKey: request.executionKey,
    exitCode: 0,
    startedAt: (await startedAt(options.startedAtFile)) ?? exit.at.toISOString(),
    finishedAt: exit.at.toISOString(),
    // The worker saves the pod's logs here before it deletes the pod.
    logUri: store.uriFor(logKey(request.executionKey)),
    outputs: { params, artifacts },
    metrics,
  };
  try {
    await store.writeJson(executorOutputKey(request.executionKey), record, { ifAbsent: true });
  } catch (error) {
    // An earlier run of this same attempt got there first: its record is the truth.
    if (!(error instanceof ArtifactExistsError)) throw error;
    return { published: true, record: await store.readJson<ExecutorOutput>(executorOutputKey(request.executionKey)) };
  }
  say('outputs published');
  return { published: true, record };
}

/** When the fetch phase finished, i.e. when the command could start. */
async function startedAt(file: string | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function readMetadata(path: string, name: string): Promise<Record<string, JsonValue>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, JsonValue>;
  } catch {
    // fall through to the error below
  }
  throw new LaunchError('user', 'InvalidOutputMetadata', `the outputMetadata file of "${name}" must hold a JSON object`);
}
