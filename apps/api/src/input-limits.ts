/**
 * Limits on what a request may hold, checked on the raw text before anything
 * parses it: JSON bodies nested deeper than `limits.input.maxDepth` and YAML
 * uploads over the depth, token or alias limits are a 422 `input-limit` naming
 * the limit, the configured maximum and where in the body it was crossed. A
 * parser that recursed or built a node per token on such input would overflow
 * the stack or run the process out of memory.
 */
import { jsonTextDepthProblem, valueDepthProblem, type InputLimitProblem, type InputLimits } from '@kiln/ir';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors';

/** The 422 for input over a limit. `part` says which part of the request: `body`, `params`... */
export function inputLimitError(problem: InputLimitProblem, part: string): ApiError {
  return new ApiError(422, 'input-limit', `${part}: ${problem.message}`, {
    in: part,
    limit: problem.limit,
    max: problem.max,
    path: problem.path,
    ...(problem.line !== undefined ? { line: problem.line, column: problem.column } : {}),
  });
}

/**
 * Replaces fastify's JSON parser with one that measures the nesting depth of
 * the raw text first, then hands it to fastify's own parser (which keeps its
 * prototype-poisoning checks).
 *
 * @example
 * ```ts
 * installJsonDepthLimit(app, { maxDepth: 128, maxYamlTokens: 200_000, maxYamlAliases: 100 });
 * ```
 */
export function installJsonDepthLimit(app: FastifyInstance, limits: InputLimits): void {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const problem = jsonTextDepthProblem(text, limits.maxDepth);
    if (problem) {
      done(inputLimitError(problem, 'body'), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}

/**
 * Run parameters deeper than `maxDepth` (a 422 naming the parameter), checked
 * wherever parameters enter: `POST /runs`, schedules, retries.
 */
export function checkParamsDepth(params: unknown, limits: InputLimits): void {
  const problem = valueDepthProblem(params, limits.maxDepth, '$.params');
  if (problem) throw inputLimitError(problem, 'params');
}
