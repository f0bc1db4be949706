/**
 * Who is signed in, and what the run page may do about a run: cancel, retry,
 * re-run with changed parameters. Paths, methods, bodies and answers are the
 * routes of `@kiln/api-contract`; the API checks the role of every call, the UI
 * only hides what the role cannot do.
 */
import {
  allows,
  apiRoutes,
  cancelRequestedSchema,
  pathOf,
  retriedRunSchema,
  startedRunSchema,
  whoamiSchema,
  type CreateRunBody,
  type Role,
  type Whoami,
} from '@kiln/api-contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { requestJson } from './http';
import { readToken } from './token';

/** `GET /auth/whoami`: the token's name and role, and the role inline IR needs. */
export const whoami = () => requestJson(apiRoutes.whoami.path, whoamiSchema);

/** `POST /runs/:runId/cancel` (operator): asks the run to cancel; its page hears the end through the event stream. */
export const cancelRun = (runId: string) =>
  requestJson(pathOf(apiRoutes.cancelRun, { runId }), cancelRequestedSchema, { method: apiRoutes.cancelRun.method });

/** `POST /runs/:runId/retry` (operator): a new run of a failed or cancelled one; succeeded steps come from the cache. */
export const retryRun = (runId: string) =>
  requestJson(pathOf(apiRoutes.retryRun, { runId }), retriedRunSchema, { method: apiRoutes.retryRun.method });

/** `POST /runs` (operator for a stored pipeline, the inline-spec role for `spec`). */
export const startRun = (body: CreateRunBody) =>
  requestJson(apiRoutes.createRun.path, startedRunSchema, { method: apiRoutes.createRun.method, body });

/**
 * A short fingerprint of the token (FNV-1a), so the role is cached per token
 * without the token itself sitting in the query cache's keys.
 */
export function tokenFingerprint(token: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return `${token.length}-${hash.toString(16)}`;
}

/** Who holds the signed-in token; read once per token (a role does not change while the token lives). */
export function useWhoami() {
  const token = readToken() ?? '';
  return useQuery({
    queryKey: ['whoami', tokenFingerprint(token)] as const,
    queryFn: whoami,
    enabled: token !== '',
    staleTime: Infinity,
  });
}

/** What a role may do on the run page. */
export interface RunPermissions {
  /** Cancel and retry runs; re-run stored pipelines. */
  readonly operate: boolean;
  /** Re-run a run that was started from inline IR (it is sent again as `spec`). */
  readonly startInlineSpec: boolean;
}

/**
 * @example
 * ```ts
 * runPermissions({ name: 'ci', role: 'operator', inlineSpecRole: 'admin' }); // { operate: true, startInlineSpec: false }
 * ```
 */
export function runPermissions(who: Pick<Whoami, 'role' | 'inlineSpecRole'>): RunPermissions {
  const role: Role = who.role;
  return { operate: allows(role, 'operator'), startInlineSpec: allows(role, who.inlineSpecRole) };
}

/** Cancel, retry or start a run; the run (and the runs list) are read again afterwards. */
export function useRunMutation<A, R>(runId: string, action: (argument: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: action,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['runs', 'list'] });
      await client.invalidateQueries({ queryKey: ['runs', runId], exact: true });
    },
  });
}
