/**
 * The web UI (apps/ui's build) under `/ui/`, from the API's own origin, with a
 * strict Content-Security-Policy on every file. The files are public: they hold
 * no data, and the page signs in with an API token that every API call then
 * carries (the same bearer auth and roles as any client). Paths that are not a
 * file are the single-page app's routes: they answer index.html.
 */
import fastifyStatic from '@fastify/static';
import { uiContentSecurityPolicy } from '@kiln/api-contract';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const securityHeaders = {
  'content-security-policy': uiContentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
} as const;

function withSecurityHeaders(reply: FastifyReply): FastifyReply {
  for (const [name, value] of Object.entries(securityHeaders)) reply.header(name, value);
  return reply;
}

/**
 * @example
 * ```ts
 * await app.register(uiRoutes('/srv/kiln/ui'));
 * ```
 */
export function uiRoutes(dir: string): FastifyPluginAsync {
  if (!existsSync(join(dir, 'index.html')))
    throw new Error(`the web UI's directory ${dir} has no index.html: build it with \`npx nx run ui:build\``);
  return async (app) => {
    // Every route in this plugin (the static plugin's included) is public: see the module's comment.
    app.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
      route.schema = { ...route.schema, hide: true };
    });
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/ui/',
      // One route per built file (found at start), so anything else reaches the app's route below.
      wildcard: false,
      index: false,
      // Hashed file names change with their content: cache them long; index.html is answered below, never cached.
      maxAge: '365d',
      immutable: true,
      setHeaders: (reply) => void withSecurityHeaders(reply),
    });
    const sendApp = (reply: FastifyReply) =>
      withSecurityHeaders(reply).header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    app.get('/ui', (_request, reply) => reply.redirect('/ui/'));
    app.get('/ui/*', (_request, reply) => sendApp(reply));
  };
}
