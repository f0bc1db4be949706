/**
 * Workflow patches, marked once per run. Each `patched(id)` a run evaluates first records a marker
 * and makes Temporal upsert the `TemporalChangeVersion` search attribute: a visibility write on the
 * server per patch per run. A run that started on this code has every patch below, so it records
 * only {@link CURRENT_CODE_PATCH}; runs started on older code (their histories lack that marker)
 * still evaluate each patch on its own, exactly as they did.
 */
import { patched } from '@temporalio/workflow';

/**
 * The newest patch (the run context resolved and the run record saved by local activities). Evaluated first in every run, at
 * its start ({@link hasPatch} does), so its value is settled before any other patch is asked about.
 */
export const CURRENT_CODE_PATCH = 'kiln-local-run-context';

/**
 * Whether this run follows `patchId`'s new behaviour: always for a run started on this code,
 * otherwise as `patched(patchId)` says (a run started on older code, replaying its history).
 *
 * @example
 * ```ts
 * if (!hasPatch(COLLECT_PATHS_PATCH)) ctx.collectPaths = legacyCollectPaths(spec);
 * ```
 */
export function hasPatch(patchId: string): boolean {
  return patched(CURRENT_CODE_PATCH) || patched(patchId);
}
