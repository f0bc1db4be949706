/** `/healthz` (the process answers) and `/readyz` (Temporal and the store answer). No token needed. */
import { apiRoutes, type Readiness } from '@kiln/api-contract';
import { storeProbeKey } from '@kiln/store-layout';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps';
import { routeOptions } from '../route-options';

const checkTimeoutMs = 3000;

async function check(name: string, probe: () => Promise<unknown>): Promise<Readiness['checks'][number]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${checkTimeoutMs} ms`)), checkTimeoutMs);
      }),
    ]);
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Temporal and the store, each asked once with a deadline. */
async function readiness(deps: ApiDeps): Promise<Readiness> {
  const checks = await Promise.all([
    check('temporal', () => deps.client.workflowService.getSystemInfo({})),
    // Any round trip proves the store answers; a missing key is a fine answer.
    check('store', () => deps.store.exists(storeProbeKey)),
  ]);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length === 0) return { ok: true, checks };
  const message = failed.map((c) => `${c.name}: ${c.error}`).join('; ');
  return { ok: false, checks, error: { code: 'not-ready', message } };
}

/**
 * @example
 * ```ts
 * await app.register(healthRoutes(deps));
 * ```
 */
export function healthRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.route({ ...routeOptions(apiRoutes.liveness), handler: async () => ({ ok: true as const }) });
    app.route({
      ...routeOptions(apiRoutes.readiness),
      handler: async (_request, reply) => {
        const ready = await readiness(deps);
        return reply.status(ready.ok ? 200 : 503).send(ready);
      },
    });
  };
}
