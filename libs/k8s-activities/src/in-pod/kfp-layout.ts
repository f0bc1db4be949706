/**
 * Where a step's files are in the pod. A step that speaks KFP's executor
 * protocol (a component imported from KFP YAML) has its artifacts staged where
 * KFP's runtime derives them from their URIs (`s3://b/k` → `/s3/b/k`), so its
 * program gets the real URIs in `executor_input`; the pod mounts those folders
 * from the shared emptyDir in every container (`kfpPodMounts`). Everything
 * else stays in the work folder.
 */
import { KfpMountLayout, WorkLayout, type LaunchRequest } from '@kiln/launcher/light';
import { podWorkDir } from './paths';

/** Whether the step speaks KFP's executor protocol. */
export function speaksKfp(request: Pick<LaunchRequest, 'component'>): boolean {
  const impl = request.component.implementation;
  return impl.type === 'container' && impl.kfp !== undefined;
}

/**
 * The layout the worker (resolving main's command), the fetch phase and the
 * publish phase all use for `request`.
 *
 * @example
 * ```ts
 * podLayout(request).outputArtifact('model', 's3://kiln/runs/1/train/model') // '/s3/kiln/runs/1/train/model' for a KFP step
 * ```
 */
export function podLayout(request: Pick<LaunchRequest, 'component'>, workDir: string = podWorkDir): WorkLayout {
  return speaksKfp(request) ? new KfpMountLayout(workDir) : new WorkLayout(workDir);
}
