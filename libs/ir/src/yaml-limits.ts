/**
 * YAML text measured before it is parsed. The `yaml` package's lexer yields
 * one token at a time and keeps no tree, so running it first costs little
 * memory however hostile the text; the parser and composer that follow build
 * a node per token and recurse per nesting level, which is what a deep or
 * token-stuffed document (`[[[[...`, `- - - - ...`, `[a,a,a,...]`, alias
 * bombs) turns into an out-of-memory crash or a stack overflow.
 *
 * Nesting is tracked the way YAML defines it: a stack of the columns where
 * block nodes start (a node at or left of an open one closes it) plus the
 * depth of flow brackets. That can count a sequence under a mapping key at
 * the same column as one level instead of two, so the measure is within a
 * factor of two of the true depth; the exact depth is checked again on the
 * parsed value ({@link valueDepthProblem}) before anything else reads it.
 */
import { CST, Lexer } from 'yaml';
import { jsonTextDepthProblem, type InputLimitProblem, type InputLimits } from './input-limits';

/** Tokens that mark structure for the parser but are not text of the source. */
const markers = new Set<string>([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

/** Token types that start a node in block context. */
const nodeStarts = new Set([
  'scalar',
  'single-quoted-scalar',
  'double-quoted-scalar',
  'seq-item-ind',
  'explicit-key-ind',
  'alias',
  'flow-map-start',
  'flow-seq-start',
]);

interface Position {
  line: number;
  column: number;
}

/**
 * The first limit YAML text exceeds (depth, tokens or aliases), with its line
 * and column, or undefined.
 *
 * @example
 * ```ts
 * yamlTextProblem('a: [[[[1]]]]', inputLimits({ maxDepth: 3 })); // { limit: 'maxDepth', line: 1, ... }
 * ```
 */
export function yamlTextProblem(text: string, limits: InputLimits): InputLimitProblem | undefined {
  const at: Position = { line: 1, column: 0 };
  const blockColumns: number[] = [];
  let flowDepth = 0;
  let tokens = 0;
  let aliases = 0;
  let scalarSourceNext = false;
  for (const token of new Lexer().lex(text)) {
    if (++tokens > limits.maxYamlTokens) {
      return textProblem('maxYamlTokens', limits.maxYamlTokens, at, `more than ${limits.maxYamlTokens} YAML tokens`);
    }
    if (markers.has(token)) {
      scalarSourceNext = token === CST.SCALAR;
      if (token === CST.DOCUMENT) blockColumns.length = 0;
      continue;
    }
    const type = scalarSourceNext ? 'scalar' : CST.tokenType(token);
    scalarSourceNext = false;
    if (type === 'alias' && ++aliases > limits.maxYamlAliases) {
      return textProblem(
        'maxYamlAliases',
        limits.maxYamlAliases,
        at,
        `more than ${limits.maxYamlAliases} YAML aliases`,
      );
    }
    if (type === 'doc-start') blockColumns.length = 0;
    if (type && nodeStarts.has(type)) {
      if (flowDepth === 0) {
        while ((blockColumns[blockColumns.length - 1] ?? -1) >= at.column) blockColumns.pop();
        blockColumns.push(at.column);
      }
      if (type === 'flow-map-start' || type === 'flow-seq-start') flowDepth++;
      const depth = blockColumns.length + flowDepth;
      if (depth > limits.maxDepth + 1) {
        // + 1: a scalar is a level here but not in a JSON nesting count.
        return textProblem('maxDepth', limits.maxDepth, at, `input nests deeper than ${limits.maxDepth} levels`);
      }
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      flowDepth = Math.max(0, flowDepth - 1);
    }
    advance(at, token);
  }
  return undefined;
}

function advance(at: Position, token: string): void {
  const lastNewline = token.lastIndexOf('\n');
  if (lastNewline < 0) {
    at.column += token.length;
    return;
  }
  for (let i = token.indexOf('\n'); i >= 0; i = token.indexOf('\n', i + 1)) at.line++;
  at.column = token.length - lastNewline - 1;
}

function textProblem(limit: keyof InputLimits, max: number, at: Position, what: string): InputLimitProblem {
  const limitName = { maxDepth: 'nesting depth', maxYamlTokens: 'YAML tokens', maxYamlAliases: 'YAML aliases' }[limit];
  return {
    limit,
    max,
    path: '$',
    line: at.line,
    column: at.column + 1,
    message: `${what} (line ${at.line}, column ${at.column + 1}): the limit on ${limitName} is ${max}`,
  };
}

/** What {@link screenInputText} found: a limit exceeded, or the text within limits (and its value, when it was JSON). */
export type ScreenedText = { ok: false; problem: InputLimitProblem } | { ok: true; json?: unknown };

/**
 * Checks JSON or YAML text against the limits before any parser that could
 * recurse or balloon sees it. Text that looks like JSON gets the cheap bracket
 * count and `JSON.parse` (iterative in V8); if it is valid JSON its value comes
 * back so no YAML parser needs to read it at all. Anything else, including
 * JSON that does not parse, is lexed as YAML.
 *
 * @example
 * ```ts
 * const screened = screenInputText(body, inputLimits({ maxDepth: 64 }));
 * if (!screened.ok) throw new Error(screened.problem.message);
 * ```
 */
export function screenInputText(text: string, limits: InputLimits): ScreenedText {
  if (/^\s*[{[]/.test(text)) {
    const problem = jsonTextDepthProblem(text, limits.maxDepth);
    if (problem) return { ok: false, problem };
    try {
      return { ok: true, json: JSON.parse(text) as unknown };
    } catch {
      // Not JSON after all: the YAML lexer decides.
    }
  }
  const problem = yamlTextProblem(text, limits);
  return problem ? { ok: false, problem } : { ok: true };
}
