/**
 * Structured JSON logs (pino) with secrets redacted wherever they might be
 * logged by accident: config objects, request headers, error details.
 */
import { pino, type Logger } from 'pino';

/** Paths pino censors; `*` matches one level, so nested configs are covered too. */
export const redactPaths = [
  'apiKey',
  '*.apiKey',
  '*.*.apiKey',
  'accessKey',
  '*.accessKey',
  '*.*.accessKey',
  'secretKey',
  '*.secretKey',
  '*.*.secretKey',
  'sessionToken',
  '*.sessionToken',
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'tlsKey',
  '*.tlsKey',
];

/**
 * @example
 * ```ts
 * const log = createLogger('info');
 * log.info({ config }, 'worker starting'); // config.temporal.apiKey prints as "[redacted]"
 * ```
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'kiln-worker' },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
