/**
 * Bearer-token authentication and role checks on every route. A route says
 * what it needs in its config (`{ role: 'operator' }`, or `{ public: true }`
 * for health, readiness and the OpenAPI document); without that, reads need
 * `viewer` and anything else needs `admin`, so a route that forgets to say
 * fails closed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors';
import { allows, type Role } from '@kiln/api-contract';
import { findToken, type ApiToken } from './tokens';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role that may call the route. */
    role?: Role;
    /** No token needed. */
    public?: boolean;
  }
  interface FastifyRequest {
    /** Who called, once authenticated. */
    principal?: ApiToken;
  }
}

export interface AuthOptions {
  tokens: readonly ApiToken[];
  /** Everyone is an anonymous admin (local development only). */
  disabled: boolean;
}

/** The role a request needs. */
export function requiredRole(request: FastifyRequest): Role {
  const config = request.routeOptions.config;
  if (config.role) return config.role;
  return request.method === 'GET' || request.method === 'HEAD' ? 'viewer' : 'admin';
}

/**
 * @example
 * ```ts
 * installAuth(app, { tokens: config.auth.tokens ?? [], disabled: false });
 * ```
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public) return;
    // Unknown routes fall through to the 404 handler without revealing more.
    const url = request.routeOptions.url;
    if (url === undefined) return;
    // The docs UI's own routes (registered by @fastify/swagger-ui, which sets no config): static pages only.
    if (url === '/docs' || url.startsWith('/docs/')) return;
    if (options.disabled) {
      request.principal = { name: 'anonymous', role: 'admin', sha256: '' };
      return;
    }
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      reply.header('www-authenticate', 'Bearer realm="kiln"');
      throw new ApiError(
        401,
        'unauthorized',
        header
          ? 'the Authorization header must be "Bearer <token>"'
          : 'missing bearer token: send "Authorization: Bearer <token>"',
      );
    }
    const token = findToken(options.tokens, match[1]);
    if (!token) {
      reply.header('www-authenticate', 'Bearer realm="kiln", error="invalid_token"');
      throw new ApiError(401, 'unauthorized', 'the bearer token is not valid');
    }
    request.principal = token;
    const needed = requiredRole(request);
    if (!allows(token.role, needed)) {
      throw new ApiError(
        403,
        'forbidden',
        `token "${token.name}" has role ${token.role}; ${request.method} ${request.routeOptions.url} needs ${needed}`,
        {
          role: token.role,
          required: needed,
        },
      );
    }
  });
}
