/**
 * Limits on untrusted input, checked before anything recursive touches it.
 *
 * JSON.parse, the YAML composer, zod and most tree walks recurse once per
 * nesting level, so a document nested thousands of levels deep overflows the
 * stack (a `RangeError`) or, in the YAML parser, grows until the process runs
 * out of memory. These checks look at the raw text (a bracket count for JSON,
 * the YAML lexer's token stream for YAML) or walk a value with an explicit
 * stack, so they never recurse themselves and stop at the first excess.
 *
 * Pure and workflow-safe: no Node built-ins.
 */

/** How much input Kiln accepts before parsing it. */
export interface InputLimits {
  /** Deepest nesting of objects and arrays (YAML: block and flow collections). */
  maxDepth: number;
  /** Most YAML tokens in one document (bounds the parser's memory). */
  maxYamlTokens: number;
  /** Most YAML aliases (`*name`) in one document (IR needs none; KFP YAML a few). */
  maxYamlAliases: number;
}

/**
 * The defaults. 128 levels is far beyond any real pipeline (the deepest example,
 * sub-pipelines inside loops inside conditions, is under 30) and far below the
 * depth where a parser or validator runs out of stack.
 */
export const DEFAULT_INPUT_LIMITS: Readonly<InputLimits> = Object.freeze({
  maxDepth: 128,
  // About 6 MB of IR written as YAML. Parsing costs ~0.5 KB of memory per token, so a server taking
  // uploads from others sets less (the API's default is 200,000).
  maxYamlTokens: 1_000_000,
  maxYamlAliases: 100,
});

/** Which limit an input exceeded, where, and a sentence naming both. */
export interface InputLimitProblem {
  limit: keyof InputLimits;
  /** The configured maximum. */
  max: number;
  /** JSON path of the value that went over the limit, when known (values); `$` for text. */
  path: string;
  /** 1-based position in the text, for text input. */
  line?: number;
  column?: number;
  message: string;
}

/** Fills in the defaults for the limits not given. */
export function inputLimits(partial: Partial<InputLimits> = {}): InputLimits {
  return { ...DEFAULT_INPUT_LIMITS, ...partial };
}

/**
 * The first place JSON text nests deeper than `maxDepth`, found by counting
 * brackets outside strings (no parsing, no recursion).
 *
 * @example
 * ```ts
 * jsonTextDepthProblem('[[[1]]]', 2); // { limit: 'maxDepth', max: 2, line: 1, column: 3, ... }
 * ```
 */
export function jsonTextDepthProblem(text: string, maxDepth: number): InputLimitProblem | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > maxDepth) return depthProblem(maxDepth, '$', line, i - lineStart + 1);
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    } else if (c === 0x0a /* \n */) {
      line++;
      lineStart = i + 1;
    }
  }
  return undefined;
}

/**
 * The first value nested deeper than `maxDepth` objects and arrays, walked
 * with an explicit stack, so a value of any depth is measured safely. `root`
 * prefixes the path (`$.params`).
 *
 * @example
 * ```ts
 * valueDepthProblem({ a: [[1]] }, 2, '$.params'); // { limit: 'maxDepth', path: '$.params.a[0]', ... }
 * ```
 */
export function valueDepthProblem(value: unknown, maxDepth: number, root = '$'): InputLimitProblem | undefined {
  // Paths are built only for the one value reported: a wide value costs no strings.
  const stack: ValueVisit[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const current = next.value;
    if (current === null || typeof current !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > maxDepth) return depthProblem(maxDepth, pathOf(next, root));
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], depth, parent: next, key: i });
    } else {
      for (const [key, child] of Object.entries(current)) stack.push({ value: child, depth, parent: next, key });
    }
  }
  return undefined;
}

interface ValueVisit {
  value: unknown;
  depth: number;
  parent?: ValueVisit;
  key?: string | number;
}

function pathOf(visit: ValueVisit, root: string): string {
  const keys: (string | number)[] = [];
  for (let v: ValueVisit | undefined = visit; v?.key !== undefined; v = v.parent) keys.unshift(v.key);
  return keys.reduce<string>(
    (path, key) =>
      typeof key === 'number'
        ? `${path}[${key}]`
        : /^[A-Za-z0-9_-]+$/.test(key)
          ? `${path}.${key}`
          : `${path}[${JSON.stringify(key)}]`,
    root,
  );
}

function depthProblem(max: number, path: string, line?: number, column?: number): InputLimitProblem {
  const where = line !== undefined ? ` (line ${line}, column ${column})` : path !== '$' ? ` at ${path}` : '';
  return {
    limit: 'maxDepth',
    max,
    path,
    ...(line !== undefined ? { line, column } : {}),
    message: `input nests deeper than ${max} levels${where}: the limit on nesting depth is ${max}`,
  };
}
