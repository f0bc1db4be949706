/** The API's pino options: JSON logs with tokens and credentials redacted. */
import type { LoggerOptions } from 'pino';

/** What pino censors: bearer tokens in request headers, and any credential-shaped field. */
export const redactPaths = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  '*.apiKey',
  'apiKey',
  '*.accessKey',
  '*.secretKey',
  '*.sessionToken',
  '*.token',
  'token',
  '*.password',
];

/**
 * @example
 * ```ts
 * const app = Fastify({ logger: apiLoggerOptions('info') });
 * ```
 */
export function apiLoggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'kiln-api' },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
}
