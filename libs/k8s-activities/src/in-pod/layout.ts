/**
 * What the worker and the pod agree on, in one place because a mismatch would
 * only show up inside a running pod: the in-pod paths (see `paths.ts`), how
 * commands are resolved, and the store keys of the staged request and of a
 * launcher failure.
 */
import { joinKey } from '@kiln/artifacts';
import { executionPrefix, type ResolveOptions } from '@kiln/launcher';

export * from './paths';

/**
 * How a step's command is resolved for a pod, by the worker (the main
 * container's argv) and by the fetch phase (the files it writes) alike: python
 * components run on the image's `python3`, with the shim copied into the work
 * folder and their packages installed when main starts (the launcher image's
 * files are not visible to the user's image).
 */
export const podResolveOptions: ResolveOptions = { python: 'python3', pythonSetup: 'work-dir' };

/** Store key of the launch request the worker stages for the pod (plain JSON, no secrets). */
export function podRequestKey(executionKey: string): string {
  return joinKey(executionPrefix(executionKey), 'pod-request.json');
}

/** Store key where the in-pod launcher leaves a `LaunchFailure` when fetch or publish fails. */
export function launcherFailureKey(executionKey: string): string {
  return joinKey(executionPrefix(executionKey), 'launcher-failure.json');
}
