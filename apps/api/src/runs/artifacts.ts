/**
 * Downloading a step's output artifacts from the store. A file streams with
 * its content type and digest; a directory artifact lists its files, and
 * `path` picks one of them.
 */
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
  | { kind: 'directory'; uri: string; digest: string; files: { path: string }[] };

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
  const iteration = (req.iteration ?? []).join(',');
  const task = run.tasks.find((t) => t.id === req.taskId && (t.iteration ?? []).join(',') === iteration);
  if (!task) throw notFound(`task ${req.taskId} is not in run ${req.runId}`);
  const ref = task.outputs.artifacts[req.output];
  if (!ref) {
    const names = Object.keys(task.outputs.artifacts);
    throw notFound(`task ${req.taskId} has no output artifact ${req.output} (${task.state}; outputs: ${names.join(', ') || 'none'})`);
  }
  if (!deps.store.owns(ref.uri)) throw notFound(`artifact ${ref.uri} is outside this API's store (${deps.store.url})`);
  const key = deps.store.keyOf(ref.uri);
  const stat = await deps.store.stat(key);
  if (stat.kind === 'directory') {
    const files: { path: string }[] = [];
    for await (const k of deps.store.list(`${key}/`)) files.push({ path: k.slice(key.length + 1) });
    if (req.path === undefined) return { kind: 'directory', uri: ref.uri, digest: stat.digest, files };
    if (!files.some((f) => f.path === req.path)) throw notFound(`directory artifact ${req.output} has no file ${req.path}`);
    const fileKey = `${key}/${req.path}`;
    const fileStat = await deps.store.stat(fileKey);
    return { kind: 'file', stream: await deps.store.get(fileKey), size: fileStat.size, digest: fileStat.digest, contentType: 'application/octet-stream', fileName: req.path.split('/').pop() ?? 'data', uri: deps.store.uriFor(fileKey) };
  }
  if (req.path !== undefined) throw invalidRequest(`artifact ${req.output} is a file; "path" applies to directory artifacts only`);
  return {
    kind: 'file',
    stream: await deps.store.get(key),
    size: stat.size,
    digest: stat.digest,
    contentType: contentTypes[ref.type] ?? 'application/octet-stream',
    fileName: key.split('/').pop() ?? 'data',
    uri: ref.uri,
  };
}
