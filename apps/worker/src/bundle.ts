/**
 * The workflow bundle: prebuilt (a file written by `build-bundle.ts`, what a
 * container image ships) or built once at start (seconds; fine for `kiln dev`).
 */
import { kilnWorkflowBundle } from '@kiln/engine-worker';
import type { WorkflowBundle } from '@temporalio/worker';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@kiln/config';

/**
 * @example
 * ```ts
 * const bundle = await loadWorkflowBundle(process.env.KILN_WORKFLOW_BUNDLE);
 * ```
 */
export async function loadWorkflowBundle(path: string | undefined): Promise<WorkflowBundle> {
  if (!path) return kilnWorkflowBundle();
  try {
    return { code: await readFile(path, 'utf8') };
  } catch (error) {
    throw new ConfigError([
      { setting: 'KILN_WORKFLOW_BUNDLE', message: `cannot read ${path}: ${(error as Error).message}` },
    ]);
  }
}
