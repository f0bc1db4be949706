/**
 * The API's errors on the wire. Every error response is
 * `{ error: { code, message, details? } }`: `code` is stable (clients branch on
 * it), `message` says what to do, `details` carries the failing fields, JSON
 * paths or parameter names. The one list of codes: the server raises only
 * these, the typed client adds only its own three (`@kiln/client`'s `KilnErrorCode`).
 */
import { z } from 'zod';

/** Every code an error response carries. */
export const apiErrorCodes = [
  'invalid-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'conflict',
  'payload-too-large',
  'uri-too-long',
  'unsupported-media-type',
  'input-limit',
  'invalid-pipeline',
  'invalid-params',
  'too-many-requests',
  'not-ready',
  'internal',
] as const;

export const apiErrorCodeSchema = z
  .enum(apiErrorCodes)
  .describe(
    'invalid-request (422, or the 4xx fastify answered), unauthorized (401), forbidden (403), not-found (404), ' +
      'conflict (409), payload-too-large (413), uri-too-long (414), unsupported-media-type (415), input-limit (422: ' +
      'nesting depth, YAML tokens or aliases over a limit checked before parsing; details name the limit), ' +
      'invalid-pipeline (422: IR errors with JSON paths), invalid-params (422: one entry per bad run parameter), too-many-requests (429: over a concurrency cap, e.g. run event streams), not-ready (503), internal (500)',
  );

export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

const errorBodyWith = <Code extends z.ZodType<string>>(code: Code) =>
  z.object({
    error: z.object({
      code,
      message: z.string().describe('What went wrong, for a person'),
      details: z
        .unknown()
        .optional()
        .describe('The failing fields ({ in, path, message }), IR errors ({ path, code, message }) or parameters'),
    }),
  });

/** The body of every error response. */
export const errorBodySchema = errorBodyWith(apiErrorCodeSchema).meta({
  id: 'Error',
  description: 'An error: a stable code, a message, and details naming what was wrong',
});

export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * An error body as a client reads it: a code from a newer server passes
 * through as it is, so a client keeps working against a newer API.
 */
export const anyErrorBodySchema = errorBodyWith(z.string());

/** One problem with a request: which part (`body`, `querystring`, `params`), where in it (a dotted path), what is wrong. */
export interface RequestProblem {
  in: string;
  path: string;
  message: string;
}

/**
 * The message of an `invalid-request` (422) answer: the first problem, where
 * it is and what is wrong; `details` lists them all.
 *
 * @example
 * ```ts
 * invalidRequestMessage([{ in: 'body', path: 'timezone', message: 'must be an IANA time zone such as UTC or Europe/Paris' }]);
 * // 'invalid body: timezone: must be an IANA time zone such as UTC or Europe/Paris'
 * ```
 */
export function invalidRequestMessage(problems: readonly RequestProblem[]): string {
  const first = problems[0];
  return `invalid ${first?.in ?? 'request'}: ${first ? `${first.path}: ${first.message}` : 'does not match the schema'}`;
}

/** zod's issues as request problems (paths dotted, the root named). */
export function requestProblems(part: string, issues: readonly z.core.$ZodIssue[]): RequestProblem[] {
  return issues.map((issue) => ({ in: part, path: issue.path.join('.') || '(root)', message: issue.message }));
}
