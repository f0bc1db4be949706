import { IR_SCHEMA_VERSION } from './schema';

/** `"1.2"` → `[1, 2]`; undefined for anything else. */
export function parseVersion(version: string): [number, number] | undefined {
  const match = /^([0-9]+)\.([0-9]+)$/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * Whether this Kiln can read IR written as `version`: the same major as
 * {@link IR_SCHEMA_VERSION} and a minor no newer than ours (newer minors may
 * add fields we would reject or, worse, ignore).
 */
export function isSupportedVersion(version: string): boolean {
  const theirs = parseVersion(version);
  const ours = parseVersion(IR_SCHEMA_VERSION) as [number, number];
  return theirs !== undefined && theirs[0] === ours[0] && theirs[1] <= ours[1];
}
