/**
 * What the worker and the pod agree on, in one place because a mismatch would
 * only show up inside a running pod: the in-pod paths (see `paths.ts`) and how
 * commands are resolved. (The store keys of the staged request and of a
 * launcher failure are `@kiln/store-layout`'s `podRequestKey` and `launcherFailureKey`.)
 */
import type { ResolveOptions } from '@kiln/launcher';

export * from './paths';

/**
 * How a step's command is resolved for a pod, by the worker (the main
 * container's argv) and by the fetch phase (the files it writes) alike: python
 * components run on the image's `python3`, with the shim copied into the work
 * folder and their packages installed when main starts (the launcher image's
 * files are not visible to the user's image).
 */
export const podResolveOptions: ResolveOptions = { python: 'python3', pythonSetup: 'work-dir' };
