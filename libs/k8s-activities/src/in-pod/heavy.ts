/**
 * The in-pod launcher's heavy half: the full artifact store (the `minio` client for `s3://`),
 * the launcher's input fetch and artifact upload, and the launch request schema with the whole
 * IR. The light half (`cli.ts` and what it imports) loads it only for a step that needs it
 * (`heavy-path.ts`). In the launcher image the two are separate bundles, each with its own copy
 * of the modules they share, so nothing crosses between them but plain data: every function here
 * answers with a {@link Crossing}, a failure already classified as the launcher's
 * `LaunchFailure` (an `instanceof` on the other side would not recognise this bundle's classes).
 */
import { openStore, parseRecord } from '@kiln/artifacts';
import {
  asLaunchError,
  fetchInputs,
  publishOutputs,
  toLaunchFailure,
  type LaunchFailure,
  type LaunchRequest,
  type LocalInputs,
  type PublishedOutputs,
} from '@kiln/launcher';
import { launchRequestSchema } from '@kiln/store-layout';
import { podLayout } from './kfp-layout';

/** A heavy-half answer: the value, or why it failed as plain JSON. */
export type Crossing<T> = { ok: true; value: T } | { ok: false; failure: LaunchFailure };

async function across<T>(run: () => Promise<T>): Promise<Crossing<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, failure: toLaunchFailure(asLaunchError(error)) };
  }
}

/**
 * Parses the text of the request at `key` with the full `launchRequestSchema` (any component).
 *
 * @example
 * ```ts
 * const parsed = await parseLaunchRequest('executions/e1/pod-request.json', text);
 * if (!parsed.ok) console.log(parsed.failure.message); // the store record ... is not valid: ...
 * ```
 */
export function parseLaunchRequest(key: string, text: string): Promise<Crossing<LaunchRequest>> {
  return across(async () => parseRecord(key, text, launchRequestSchema));
}

/**
 * Downloads the input artifacts of `request` into its work folder (and creates its output folders).
 *
 * @example
 * ```ts
 * const fetched = await fetchInputArtifacts('s3://kiln/dev', request, '/kiln/work', console.log);
 * ```
 */
export function fetchInputArtifacts(
  storeUrl: string,
  request: LaunchRequest,
  workDir: string,
  say: (line: string) => void,
): Promise<Crossing<LocalInputs>> {
  return across(() => fetchInputs(request, openStore(storeUrl), podLayout(request, workDir), { say }));
}

/**
 * Reads the outputs of a step whose command succeeded and uploads its output artifacts.
 *
 * @example
 * ```ts
 * const published = await publishOutputArtifacts('s3://kiln/dev', request, '/kiln/work', console.log);
 * ```
 */
export function publishOutputArtifacts(
  storeUrl: string,
  request: LaunchRequest,
  workDir: string,
  say: (line: string) => void,
): Promise<Crossing<PublishedOutputs>> {
  return across(() => publishOutputs(request, openStore(storeUrl), podLayout(request, workDir), { say }));
}
