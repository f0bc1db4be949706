/**
 * Every error leaves as `{ error: { code, message, details? } }` with the
 * right status: our `ApiError`s as they are, request validation failures as
 * 422 with the failing fields, fastify's body-size and media-type errors as
 * 413 and 415 (and every other 4xx fastify or a plugin raises with the code of its status), an overlong path
 * parameter as 414, the shared run helpers' `KilnRequestError`s with their status,
 * Temporal's not-found and already-exists as 404 and 409, a malformed record in the store as a 500 naming its key,
 * and anything else as a 500 whose details stay in the log.
 */
import { invalidRequestMessage, type ApiErrorCode, type RequestProblem } from '@kiln/api-contract';
import { ArtifactError, ArtifactNotFoundError, StoreRecordError } from '@kiln/artifacts';
import { requestRefusalOf } from '@kiln/engine-client';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError } from './errors';

/** Maps an error to the ApiError the client sees. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details: RequestProblem[] = error.validation.map((v) => ({
      in: (error as { validationContext?: string }).validationContext ?? 'request',
      path: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)',
      message: v.message ?? 'invalid',
    }));
    return new ApiError(422, 'invalid-request', invalidRequestMessage(details), details);
  }
  const refused = requestRefusalOf(error);
  if (refused) return new ApiError(refused.status, refused.code, refused.message, refused.details);
  if (error instanceof ArtifactNotFoundError)
    return new ApiError(404, 'not-found', `not in the artifact store: ${error.key}`);
  if (error instanceof ArtifactError && !error.retryable && error.code === 'invalid-key')
    return new ApiError(422, 'invalid-request', error.message);
  // A record in the store that is not what Kiln reads there: say which one and what is wrong, so it can be fixed.
  if (error instanceof StoreRecordError)
    return new ApiError(500, 'internal', error.message, { key: error.key, issues: error.issues }, { cause: error });
  const fe = error as Partial<FastifyError>;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new ApiError(
      413,
      'payload-too-large',
      'the request body is larger than this route accepts (see limits in docs/api.md)',
    );
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new ApiError(
      415,
      'unsupported-media-type',
      'unsupported Content-Type: send application/json (or application/yaml for pipelines)',
    );
  }
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new ApiError(422, 'invalid-request', 'the JSON body is empty');
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && error instanceof SyntaxError)) {
    return new ApiError(422, 'invalid-request', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (fe.code === 'FST_ERR_MAX_PARAM_LENGTH' || fe.statusCode === 414) return uriTooLong();
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new ApiError(fe.statusCode, codeForStatus(fe.statusCode), fe.message ?? 'bad request');
  }
  return new ApiError(500, 'internal', 'internal error; the server log has the details', undefined, { cause: error });
}

/** The code of a 4xx that fastify or a plugin (the docs UI's static files) answered. */
function codeForStatus(status: number): ApiErrorCode {
  const codes: Record<number, ApiErrorCode> = {
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not-found',
    409: 'conflict',
    413: 'payload-too-large',
    414: 'uri-too-long',
    415: 'unsupported-media-type',
    429: 'too-many-requests',
  };
  return codes[status] ?? 'invalid-request';
}

function uriTooLong(): ApiError {
  return new ApiError(
    414,
    'uri-too-long',
    'a path parameter is longer than any this API accepts (ids are at most 1,024 characters)',
  );
}

/**
 * Errors fastify's router raises before any route or hook runs (a path
 * parameter over `maxParamLength`, a URL that is not valid percent-encoding),
 * answered in the same shape. Goes into the `frameworkErrors` option.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const apiError = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? uriTooLong() : toApiError(error);
  void reply.status(apiError.status).type('application/json').send(JSON.stringify(apiError.toJSON()));
}

/** Installs the error and not-found handlers. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: apiError.code, status: apiError.status }, apiError.message);
    void reply.status(apiError.status).type('application/json').send(apiError.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(new ApiError(404, 'not-found', `no route ${request.method} ${request.url.split('?')[0]}`).toJSON());
  });
}
