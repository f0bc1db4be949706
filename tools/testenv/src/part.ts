import type { Binaries } from './install';
import type { LaunchSpec, ProcessRecord } from './processes';

/** What a server part needs from `up`; `launch` records each process in state.json before it is awaited. */
export interface PartContext {
  /** The state dir: data dirs, logs and generated files go below it. */
  dir: string;
  binaries: Binaries;
  launch(spec: LaunchSpec): ProcessRecord;
}

export function required(binary: string | undefined, tool: string): string {
  if (!binary) throw new Error(`${tool} is not installed (internal error: up did not install it)`);
  return binary;
}
