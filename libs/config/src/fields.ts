/**
 * Field types for settings that arrive as text from the environment or typed
 * from a YAML/JSON file. Messages say what was expected; the loader adds the
 * setting's name and the value it got.
 */
import { z } from 'zod';

/** `host:port`, e.g. `temporal.example.com:7233` or `127.0.0.1:7233`. */
export const hostPort = z
  .string({ error: 'expected host:port' })
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { error: 'expected host:port' });

/** A whole number in a range, from text or a number. */
export function integer(min: number, max: number) {
  return z.coerce
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` });
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`), from text or a boolean. */
export const boolean = z.union(
  [
    z.boolean(),
    z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), { error: 'expected true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  ],
  { error: 'expected true or false' },
);

/** A non-empty string. */
export const text = z.string({ error: 'expected a non-empty string' }).min(1, { error: 'expected a non-empty string' });

/** pino's levels. */
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  error: 'expected one of fatal, error, warn, info, debug, trace, silent',
});

/** An artifact store URL: `file:///path`, an absolute path or `s3://bucket/prefix`. No credentials inside. */
export const storeUrl = z
  .string({ error: 'expected file:///path or s3://bucket/prefix' })
  .refine((v) => /^(file:\/\/\/|\/|s3:\/\/[^/@:]+)/.test(v), { error: 'expected file:///path or s3://bucket/prefix' })
  .refine((v) => !/^[a-z0-9]+:\/\/[^/]*@/i.test(v), {
    error: 'must not carry credentials; set KILN_S3_ACCESS_KEY and KILN_S3_SECRET_KEY in the environment',
  });

/** Settings of the Temporal connection shared by the worker and the API. */
export const temporalSchema = z
  .strictObject({
    address: hostPort.default('127.0.0.1:7233'),
    namespace: text.default('default'),
    taskQueue: text.default('kiln'),
    /** TLS on/off; default on when a certificate, CA or API key is configured. */
    tls: boolean.optional(),
    tlsCert: text.optional(),
    tlsKey: text.optional(),
    tlsCa: text.optional(),
    tlsServerName: text.optional(),
    apiKey: text.optional(),
  })
  .refine((t) => (t.tlsCert === undefined) === (t.tlsKey === undefined), {
    error: 'tlsCert and tlsKey go together (mTLS needs both)',
    path: ['tlsKey'],
  });
export type TemporalSettings = z.output<typeof temporalSchema>;

/** Environment variables of {@link temporalSchema}. */
export const temporalSources = [
  { path: 'temporal.address', env: 'KILN_TEMPORAL_ADDRESS' },
  { path: 'temporal.namespace', env: 'KILN_TEMPORAL_NAMESPACE' },
  { path: 'temporal.taskQueue', env: 'KILN_TASK_QUEUE' },
  { path: 'temporal.tls', env: 'KILN_TEMPORAL_TLS' },
  { path: 'temporal.tlsCert', env: 'KILN_TEMPORAL_TLS_CERT' },
  { path: 'temporal.tlsKey', env: 'KILN_TEMPORAL_TLS_KEY' },
  { path: 'temporal.tlsCa', env: 'KILN_TEMPORAL_TLS_CA' },
  { path: 'temporal.tlsServerName', env: 'KILN_TEMPORAL_TLS_SERVER_NAME' },
  { path: 'temporal.apiKey', env: 'KILN_TEMPORAL_API_KEY', secret: true },
] as const;
