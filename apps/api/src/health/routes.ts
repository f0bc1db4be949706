/** `/healthz` (the process answers) and `/readyz` (Temporal and the store answer). No token needed. */
import { storeProbeKey } from '@kiln/store-layout';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ApiDeps } from '../deps';

const checkTimeoutMs = 3000;

async function check(
  name: string,
  probe: () => Promise<unknown>,
): Promise<{ name: string; ok: boolean; error?: string }> {
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

/**
 * @example
 * ```ts
 * await app.register(healthRoutes(deps));
 * ```
 */
export function healthRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/healthz',
      { config: { public: true }, schema: { tags: ['health'], summary: 'Liveness', security: [] } },
      async () => ({ ok: true }),
    );
    app.get(
      '/readyz',
      {
        config: { public: true },
        schema: { tags: ['health'], summary: 'Readiness: Temporal and the artifact store reachable', security: [] },
      },
      async (_request, reply) => {
        const checks = await Promise.all([
          check('temporal', () => deps.client.workflowService.getSystemInfo({})),
          // Any round trip proves the store answers; a missing key is a fine answer.
          check('store', () => deps.store.exists(storeProbeKey)),
        ]);
        const ok = checks.every((c) => c.ok);
        return reply.status(ok ? 200 : 503).send(
          ok
            ? { ok, checks }
            : {
                ok,
                checks,
                error: {
                  code: 'not-ready',
                  message: checks
                    .filter((c) => !c.ok)
                    .map((c) => `${c.name}: ${c.error}`)
                    .join('; '),
                },
              },
        );
      },
    );
  };
}
