/**
 * Reading the staged launch request with the light schema, the full one deciding what it refuses.
 */
import { parseRecord, StoreRecordError, type RecordStore } from '@kiln/artifacts/light';
import type { LaunchRequest } from '@kiln/launcher/light';
import { stepLaunchRequestSchema } from '@kiln/store-layout/light';
import { onHeavyPath } from './heavy-path';

/**
 * The request at `key`, checked as strictly as `launchRequestSchema` checks it: first with
 * `stepLaunchRequestSchema` (which needs only the IR's leaf schemas), and when that refuses it,
 * with `launchRequestSchema` itself from the heavy half, so a request with a DAG component, or a
 * bad one, gets exactly the answer and the messages it always got.
 *
 * @example
 * ```ts
 * const request = await readLaunchRequest(openRecordStore(storeUrl), 'executions/e1/pod-request.json');
 * ```
 */
export async function readLaunchRequest(store: RecordStore, key: string): Promise<LaunchRequest> {
  const text = await store.readText(key);
  try {
    return parseRecord(key, text, stepLaunchRequestSchema);
  } catch (error) {
    if (!(error instanceof StoreRecordError)) throw error;
    return onHeavyPath((heavy) => heavy.parseLaunchRequest(key, text));
  }
}

/** Whether publishing `request`'s outputs uploads artifacts, which needs the full store. */
export function hasOutputArtifacts(request: LaunchRequest): boolean {
  return Object.keys(request.outputs.artifacts).length > 0;
}
