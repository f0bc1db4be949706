/** Roles, from least to most privileged: each includes the ones before it. */
export const roles = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * Whether `held` grants `needed`.
 *
 * @example
 * ```ts
 * allows('operator', 'viewer'); // true
 * allows('viewer', 'operator'); // false
 * ```
 */
export function allows(held: Role, needed: Role): boolean {
  return roles.indexOf(held) >= roles.indexOf(needed);
}
