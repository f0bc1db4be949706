/**
 * What the worker and the pod agree on, in one place because a mismatch would
 * only show up inside a running pod: the in-pod paths (see `paths.ts`) and the
 * store keys of the staged request and of a launcher failure.
 */
import { joinKey } from '@kiln/artifacts';
import { executionPrefix } from '@kiln/launcher';

export * from './paths';

/** Store key of the launch request the worker stages for the pod (plain JSON, no secrets). */
export function podRequestKey(executionKey: string): string {
  return joinKey(executionPrefix(executionKey), 'pod-request.json');
}

/** Store key where the in-pod launcher leaves a `LaunchFailure` when fetch or publish fails. */
export function launcherFailureKey(executionKey: string): string {
  return joinKey(executionPrefix(executionKey), 'launcher-failure.json');
}
