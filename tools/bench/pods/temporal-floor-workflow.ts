/**
 * The Temporal floor of the pod benchmark: the least a Temporal workflow does to run N pods in
 * sequence, one activity per pod doing exactly the floor's create → watch → delete (floor.ts).
 * What it costs over the floor is what any engine pays for running its steps as Temporal
 * activities; Kiln over it is what Kiln itself adds. Workflow code only (bundled by the worker).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { TemporalFloorActivities } from './temporal-floor';

const { runPod } = proxyActivities<TemporalFloorActivities>({ startToCloseTimeout: '2 minutes' });

/** Runs the pods `<prefix>-1` … `<prefix>-<n>` one after the other; returns their names. */
export async function podChain(prefix: string, n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 1; i <= n; i++) {
    const name = `${prefix}-${i}`;
    await runPod(prefix, name);
    names.push(name);
  }
  return names;
}
