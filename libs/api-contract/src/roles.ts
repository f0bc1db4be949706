/** Who may call what: bearer tokens carry a role, each route needs one (or is public). */
import { z } from 'zod';

/** Roles, from least to most privileged: each includes the ones before it. */
export const roles = ['viewer', 'operator', 'admin'] as const;

export const roleSchema = z.enum(roles);

export type Role = z.infer<typeof roleSchema>;

/** What a route needs: a role, or nothing (`public`: health, readiness). */
export type RouteAccess = Role | 'public';

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
