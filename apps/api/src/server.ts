/**
 * The Fastify application: every route of `@kiln/api-contract`, its requests
 * validated and its answers checked with the contract's zod schemas (which also
 * make the OpenAPI document at /openapi.json and the docs UI at /docs),
 * bearer-token auth on every route, one JSON error shape, and the route groups.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { installAuth, type AuthOptions } from './auth/hook';
import { authRoutes } from './auth/routes';
import type { ApiDeps } from './deps';
import { frameworkErrorHandler, installErrorHandler } from './error-handler';
import { installJsonDepthLimit } from './input-limits';
import { healthRoutes } from './health/routes';
import { insightRoutes } from './insights/routes';
import { apiLoggerOptions } from './logger';
import { pipelineRoutes } from './pipelines/routes';
import { runOutputRoutes } from './runs/output-routes';
import { runRoutes } from './runs/routes';
import { scheduleRoutes } from './schedules/routes';
import { uiRoutes } from './ui/routes';

export interface BuildServerOptions {
  deps: ApiDeps;
  auth: AuthOptions;
  /** A pino level (default info); 'silent' for tests. */
  log?: string;
  /** Where log lines go (default stdout); tests read them. */
  logStream?: NodeJS.WritableStream;
  /** Serve the docs UI at /docs (default true). */
  docsUi?: boolean;
  /** The web UI's built files (apps/ui/dist), served under /ui/; absent: no UI. */
  uiDir?: string;
}

/** Default body limit for routes that say nothing: small JSON requests. */
const defaultBodyLimit = 64 * 1024;

/**
 * @example
 * ```ts
 * const app = await buildServer({ deps, auth: { tokens, disabled: false } });
 * await app.listen({ port: 8080 });
 * ```
 */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const log = options.log ?? 'info';
  const app = Fastify({
    logger: { ...apiLoggerOptions(log), ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: defaultBodyLimit,
    // Run ids can be long; refuse silly ones early.
    // Task ids may be sub-pipeline paths (`a/b/c`, sent as `%2F`), validated to 1,024 characters by the route schema.
    routerOptions: { maxParamLength: 3100 },
    // Errors the router raises before any hook (an overlong path parameter: 414) get the same JSON shape.
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  // Only JSON (and, on the upload route, YAML): anything else is a 415, not text a schema then refuses.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  // Answers are checked against the contract's response schemas: an answer off the contract is a 500, not a surprise for clients.
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installJsonDepthLimit(app, options.deps.limits.input);
  installAuth(app, options.auth);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kiln API',
        version: '0.1.0',
        description:
          'Pipelines, runs, schedules, logs and artifacts of Kiln. Every route but /healthz, /readyz, /openapi.json and /docs needs `Authorization: Bearer <token>`; roles: viewer (reads), operator (runs and schedules), admin (pipelines, everything). Errors are `{ error: { code, message, details? } }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'pipelines', description: 'Pipeline IR and versions' },
        { name: 'runs', description: 'Runs, their logs and artifacts' },
        { name: 'schedules', description: 'Temporal Schedules that start runs' },
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'auth', description: 'Who holds the bearer token' },
      ],
    },
    transform: jsonSchemaTransform,
    // Puts shared and recursive schemas (JSON parameter values) under components, where the refs point.
    transformObject: jsonSchemaTransformObject,
  });
  if (options.docsUi !== false)
    await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(options.deps));
  await app.register(authRoutes(options.deps));
  await app.register(pipelineRoutes(options.deps));
  await app.register(runRoutes(options.deps));
  await app.register(runOutputRoutes(options.deps));
  await app.register(insightRoutes(options.deps));
  await app.register(scheduleRoutes(options.deps));
  if (options.uiDir) await app.register(uiRoutes(options.uiDir));
  await app.ready();
  return app;
}
