import { IR_LATEST_SCHEMA_VERSION, IR_SCHEMA_VERSION, type Arg, type Component } from './schema';

/** `"1.2"` → `[1, 2]`; undefined for anything else. */
export function parseVersion(version: string): [number, number] | undefined {
  const match = /^([0-9]+)\.([0-9]+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * Whether this Kiln can read IR written as `version`: the same major as
 * {@link IR_LATEST_SCHEMA_VERSION} and a minor no newer than ours (newer minors may
 * add fields we would reject or, worse, ignore).
 */
export function isSupportedVersion(version: string): boolean {
  const theirs = parseVersion(version);
  const ours = parseVersion(IR_LATEST_SCHEMA_VERSION) as [number, number];
  return theirs !== undefined && theirs[0] === ours[0] && theirs[1] <= ours[1];
}

/** The minor version KFP's executor protocol arrived in. */
const KFP_PROTOCOL_VERSION = '1.1';

function usesExecutorPlaceholder(arg: Arg): boolean {
  if (typeof arg === 'string') return false;
  if (arg.kind === 'executorInput' || arg.kind === 'executorOutputFile') return true;
  if (arg.kind === 'concat') return arg.items.some(usesExecutorPlaceholder);
  if (arg.kind === 'ifPresent') return [...arg.then, ...(arg.else ?? [])].some(usesExecutorPlaceholder);
  return false;
}

/**
 * Whether a component speaks KFP's executor protocol (its container has a
 * `kfp` block or an `executorInput`/`executorOutputFile` placeholder): IR 1.1.
 */
export function usesKfpProtocol(component: Component): boolean {
  const impl = component.implementation;
  if (impl.type !== 'container') return false;
  return impl.kfp !== undefined || [...impl.command, ...(impl.args ?? [])].some(usesExecutorPlaceholder);
}

/**
 * The oldest IR version that can hold these components: {@link IR_SCHEMA_VERSION},
 * or 1.1 when one of them speaks KFP's executor protocol. Writers put this in
 * `schemaVersion`, so a pipeline's digest changes only if it uses an addition.
 *
 * @example
 * ```ts
 * schemaVersionFor(spec.components) // '1.0', or '1.1' for a pipeline imported from KFP YAML
 * ```
 */
export function schemaVersionFor(components: Readonly<Record<string, Component>>): string {
  return Object.values(components).some(usesKfpProtocol) ? KFP_PROTOCOL_VERSION : IR_SCHEMA_VERSION;
}

/** Whether IR written as `version` may use what arrived in `needed` (both "<major>.<minor>"). */
export function versionAtLeast(version: string, needed: string): boolean {
  const have = parseVersion(version);
  const want = parseVersion(needed);
  return have !== undefined && want !== undefined && (have[0] > want[0] || (have[0] === want[0] && have[1] >= want[1]));
}
