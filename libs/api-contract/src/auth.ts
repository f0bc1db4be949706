/**
 * `/auth/whoami`: who holds the bearer token, and what that lets them do. The
 * web UI reads it once per token to decide which actions it shows (a viewer
 * sees no cancel, retry or re-run); the API still checks every call itself.
 */
import { z } from 'zod';
import { roleSchema } from './roles';
import { defineRoute } from './route';

export const whoamiSchema = z
  .object({
    name: z.string().describe("The token's name in the API's configuration (never the token)"),
    role: roleSchema.describe('viewer (reads), operator (runs and schedules) or admin (pipelines, everything)'),
    inlineSpecRole: roleSchema.describe(
      'The role `POST /runs` needs for inline IR (`spec`): admin unless KILN_API_INLINE_SPEC_ROLE lowers it',
    ),
  })
  .meta({ id: 'Whoami', description: 'Who holds the bearer token, with the role it carries' });

export const authRoutes = {
  whoami: defineRoute({
    method: 'GET',
    path: '/auth/whoami',
    access: 'viewer',
    tag: 'auth',
    summary: 'Who holds the bearer token, and its role',
    description:
      'Any valid token may ask. A client (the web UI) shows only the actions the role allows; every route still checks the role itself.',
    responses: { 200: whoamiSchema },
  }),
};
