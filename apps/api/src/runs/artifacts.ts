/**
 * A run's output artifacts: listed from its status document, downloaded from
 * the store. A file streams with its content type and digest; a directory
 * artifact lists its files, and `path` picks one of them.
 */
import type { DirectoryListing, ListedArtifact } from '@kiln/api-contract';
import { requireOutputArtifact, runArtifacts } from '@kiln/engine-client';
import type { ArtifactType } from '@kiln/ir';
import type { Readable } from 'node:stream';
import type { ApiDeps } from '../deps';
import { invalidRequest, notFound } from '../errors';
import { getRun } from './get';

const contentTypes: Partial<Record<ArtifactType, string>> = {
  metrics: 'application/json',
  classificationMetrics: 'application/json',
  html: 'text/html; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
};

export type ArtifactDownload =
  | { kind: 'file'; stream: Readable; size: number; digest: string; contentType: string; fileName: string; uri: string }
  | DirectoryListing;

/**
 * @example
 * ```ts
 * const a = await openArtifact(deps, { runId, taskId: 'train', output: 'model' });
 * if (a.kind === 'file') a.stream.pipe(res);
 * ```
 */
export async function openArtifact(
  deps: ApiDeps,
  req: { runId: string; taskId: string; output: string; iteration?: number[]; path?: string },
): Promise<ArtifactDownload> {
  const run = await getRun(deps, req.runId);
  const ref = requireOutputArtifact(run, {
    taskId: req.taskId,
    output: req.output,
    ...(req.iteration ? { iteration: req.iteration } : {}),
  });
  if (!deps.store.owns(ref.uri)) throw notFound(`artifact ${ref.uri} is outside this API's store (${deps.store.url})`);
  const key = deps.store.keyOf(ref.uri);
  const stat = await deps.store.stat(key);
  if (stat.kind === 'directory') {
    const files: { path: string }[] = [];
    for await (const k of deps.store.list(`${key}/`)) files.push({ path: k.slice(key.length + 1) });
    // The recorded digest, not the store's sidecar: a client recomputes it from the files it downloads.
    if (req.path === undefined) return { kind: 'directory', uri: ref.uri, digest: ref.digest ?? stat.digest, files };
    if (!files.some((f) => f.path === req.path))
      throw notFound(`directory artifact ${req.output} has no file ${req.path}`);
    const fileKey = `${key}/${req.path}`;
    const fileStat = await deps.store.stat(fileKey);
    return {
      kind: 'file',
      stream: await deps.store.get(fileKey),
      size: fileStat.size,
      digest: fileStat.digest,
      contentType: 'application/octet-stream',
      fileName: req.path.split('/').pop() ?? 'data',
      uri: deps.store.uriFor(fileKey),
    };
  }
  if (req.path !== undefined)
    throw invalidRequest(`artifact ${req.output} is a file; "path" applies to directory artifacts only`);
  return {
    kind: 'file',
    stream: await deps.store.get(key),
    size: stat.size,
    // The digest the run recorded is the artifact's identity: a client checks the bytes against it.
    digest: ref.digest ?? stat.digest,
    contentType: contentTypes[ref.type] ?? 'application/octet-stream',
    fileName: key.split('/').pop() ?? 'data',
    uri: ref.uri,
  };
}

/**
 * Every output artifact the run's tasks recorded so far, in task order.
 *
 * @example
 * ```ts
 * const { artifacts } = await listArtifacts(deps, runId);
 * artifacts[0]; // { taskId: 'train', output: 'model', uri: 's3://…', digest: 'sha256:…', type: 'model', metadata: {}, download: '/runs/…/tasks/train/artifacts/model' }
 * ```
 */
export async function listArtifacts(
  deps: ApiDeps,
  runId: string,
): Promise<{ runId: string; artifacts: ListedArtifact[] }> {
  const run = await getRun(deps, runId);
  const artifacts = runArtifacts(run).map((a) => ({
    ...a,
    download: `/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(a.taskId)}/artifacts/${encodeURIComponent(a.output)}${a.iteration ? `?iteration=${a.iteration.join(',')}` : ''}`,
  }));
  return { runId, artifacts };
}
