/**
 * KFP's local-path convention: its Python runtime (and its container
 * placeholders) turn an artifact URI into a file path by prefix, `gs://` →
 * `/gcs/`, `s3://` → `/s3/`, `minio://` → `/minio/`, and use any other URI as
 * a path as it is (which is how `kfp.local` passes local files). A launcher
 * that stages an artifact where KFP looks for it can pass the real URI.
 */
import { join } from 'node:path';
import { WorkLayout } from '../layout';

/** The URI prefixes KFP maps to local mounts, and where. */
export const kfpMountPrefixes: readonly { scheme: string; mount: string }[] = [
  { scheme: 'gs://', mount: '/gcs/' },
  { scheme: 's3://', mount: '/s3/' },
  { scheme: 'minio://', mount: '/minio/' },
];

/**
 * The local path KFP's runtime derives from `uri`, or undefined when KFP would
 * use the URI itself as the path.
 *
 * @example
 * ```ts
 * kfpMountPath('s3://kiln/runs/1/train/model') // '/s3/kiln/runs/1/train/model'
 * kfpMountPath('file:///tmp/a')                // undefined
 * ```
 */
export function kfpMountPath(uri: string): string | undefined {
  for (const { scheme, mount } of kfpMountPrefixes) {
    if (uri.startsWith(scheme)) return mount + uri.slice(scheme.length);
  }
  return undefined;
}

/**
 * The URI to give KFP's runtime for an artifact staged at `path`: the real URI
 * when KFP derives exactly that path from it, else the path itself.
 *
 * @example
 * ```ts
 * kfpRuntimeUri('s3://b/k', '/s3/b/k')              // 's3://b/k'
 * kfpRuntimeUri('file:///store/k', '/w/inputs/x/k') // '/w/inputs/x/k'
 * ```
 */
export function kfpRuntimeUri(uri: string, path: string): string {
  return kfpMountPath(uri) === path ? uri : path;
}

/**
 * A work layout that stages the artifacts of a KFP-protocol step where KFP's
 * runtime looks for them (`/s3/<bucket>/<key>` for `s3://<bucket>/<key>`), for
 * a pod whose containers mount those folders ({@link kfpMountPrefixes}).
 * URIs without such a prefix stay in the work folder.
 *
 * @example
 * ```ts
 * new KfpMountLayout('/kiln/work').outputArtifact('model', 's3://kiln/runs/1/train/model') // '/s3/kiln/runs/1/train/model'
 * ```
 */
export class KfpMountLayout extends WorkLayout {
  override inputArtifact(name: string, uri: string, index?: number): string {
    return kfpMountPath(uri) ?? super.inputArtifact(name, uri, index);
  }
  override outputArtifact(name: string, uri: string): string {
    return kfpMountPath(uri) ?? super.outputArtifact(name, uri);
  }
}

/** Where a KFP program may write `executor_output.json` (`{{$.outputs.output_file}}`). */
export function kfpExecutorOutputFile(layout: WorkLayout): string {
  return join(layout.root, 'kfp', 'executor_output.json');
}
