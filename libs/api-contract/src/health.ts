/** `/healthz` (the process answers) and `/readyz` (Temporal and the store answer). No token needed. */
import { z } from 'zod';
import { defineRoute } from './route';

export const livenessSchema = z.object({ ok: z.literal(true) });

export const readinessSchema = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), error: z.string().optional() })),
  error: z
    .object({ code: z.literal('not-ready'), message: z.string() })
    .optional()
    .describe('Which dependency did not answer (503 only)'),
});

export const healthRoutes = {
  liveness: defineRoute({
    method: 'GET',
    path: '/healthz',
    access: 'public',
    tag: 'health',
    summary: 'Liveness',
    responses: { 200: livenessSchema },
  }),
  readiness: defineRoute({
    method: 'GET',
    path: '/readyz',
    access: 'public',
    tag: 'health',
    summary: 'Readiness: Temporal and the artifact store reachable',
    responses: { 200: readinessSchema, 503: readinessSchema },
  }),
};
