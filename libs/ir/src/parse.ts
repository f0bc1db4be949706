/**
 * Reading IR text. JSON goes through `JSON.parse` (fast: the engine reads specs
 * often) plus a duplicate-key check — a JSON file with two tasks of the same id
 * would otherwise lose one silently. YAML, and JSON that fails to parse, go
 * through the `yaml` parser, which refuses duplicate keys and knows where each
 * value sits; errors name a line either way.
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { IrError, ValidationResult } from './errors';
import { inputLimits, jsonTextDepthProblem, type InputLimitProblem, type InputLimits } from './input-limits';
import type { PipelineSpec } from './schema';
import { validateSpec } from './validate';
import { yamlTextProblem } from './yaml-limits';

export interface ParseOptions {
  /** The file name, for messages; it also picks the format when it ends in .json / .yaml / .yml. */
  source?: string;
  /** Depth, YAML token and alias limits, checked before parsing (default {@link DEFAULT_INPUT_LIMITS}). */
  limits?: Partial<InputLimits>;
}

/** An {@link InputLimitProblem} as an IR error (code `input-limit`). */
export function inputLimitError(problem: InputLimitProblem, source?: string): IrError {
  return withPosition(
    { code: 'input-limit', path: problem.path, message: problem.message },
    source,
    problem.line,
    problem.column,
  );
}

/**
 * Parses JSON or YAML text and validates it as a pipeline IR document.
 * Errors carry `source`, and `line`/`column` where the value is found.
 *
 * @example
 * ```ts
 * const result = parseSpec(readFileSync('pipeline.yaml', 'utf8'), { source: 'pipeline.yaml' });
 * if (!result.ok) console.error(result.errors.map(formatIrError).join('\n'));
 * ```
 */
export function parseSpec(text: string, options: ParseOptions = {}): ValidationResult<PipelineSpec> {
  const { source } = options;
  const limits = inputLimits(options.limits);
  const looksJson = source?.endsWith('.json') || /^\s*[{[]/.test(text);
  if (looksJson) {
    const tooDeep = jsonTextDepthProblem(text, limits.maxDepth);
    if (tooDeep) return { ok: false, errors: [inputLimitError(tooDeep, source)] };
    // Fast path: JSON.parse, plus the duplicate-key check it lacks. Invalid JSON falls
    // through to the YAML parser, whose messages carry line and column.
    let value: unknown;
    let parsed = false;
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch {
      // fall through
    }
    if (parsed) {
      const duplicate = findDuplicateKey(text);
      if (duplicate) {
        const pos = linePos(text, duplicate.offset);
        return {
          ok: false,
          errors: [
            withPosition(
              {
                code: 'syntax',
                path: '$',
                message: `duplicate key "${duplicate.key}": keys must be unique (a JSON reader would keep only the last)`,
              },
              source,
              pos.line,
              pos.col,
            ),
          ],
        };
      }
      const result = validateSpec(value, { limits });
      return result.ok ? result : { ok: false, errors: locateAll(result.errors, text, source, limits) };
    }
  }
  // The lexer first: the parser below builds a node per token and recurses per level.
  const overLimit = yamlTextProblem(text, limits);
  if (overLimit) return { ok: false, errors: [inputLimitError(overLimit, source)] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, yamlOptions(lineCounter));
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const message = e.code === 'DUPLICATE_KEY' ? `duplicate key: ${firstLine(e.message)}` : firstLine(e.message);
        return withPosition({ code: 'syntax', path: '$', message }, source, pos?.line, pos?.col);
      }),
    };
  }
  let value: unknown;
  try {
    // Aliases are YAML's way to build huge documents from small ones; the IR needs none.
    value = doc.toJS({ maxAliasCount: 0 });
  } catch (error) {
    return {
      ok: false,
      errors: [
        withPosition({ code: 'syntax', path: '$', message: firstLine(String((error as Error).message)) }, source),
      ],
    };
  }
  const result = validateSpec(value ?? null, { limits });
  if (result.ok) return result;
  return { ok: false, errors: result.errors.map((e) => locate(e, doc, lineCounter, source)) };
}

function yamlOptions(lineCounter: LineCounter) {
  return { lineCounter, prettyErrors: true, uniqueKeys: true, version: '1.2', schema: 'core', strict: true } as const;
}

/** Positions for errors in JSON text: parse it again as YAML (slow, but only on failure). */
function locateAll(errors: IrError[], text: string, source: string | undefined, limits: InputLimits): IrError[] {
  // Valid JSON within the depth limit may still hold more tokens than the YAML parser should build.
  if (yamlTextProblem(text, limits)) return errors.map((e) => withPosition(e, source));
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, yamlOptions(lineCounter));
  if (doc.errors.length > 0) return errors.map((e) => withPosition(e, source));
  return errors.map((e) => locate(e, doc, lineCounter, source));
}

function linePos(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before[before.length - 1]?.length ?? 0) + 1 };
}

/**
 * The first repeated key of any object in (already valid) JSON text. JSON.parse
 * keeps the last value silently; for the IR that would drop a task.
 */
export function findDuplicateKey(text: string): { key: string; offset: number } | undefined {
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (keys && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return { key, offset: i };
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
      expectKey = false;
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function withPosition(error: IrError, source?: string, line?: number, column?: number): IrError {
  return {
    ...error,
    ...(source !== undefined && { source }),
    ...(line !== undefined && { line }),
    ...(column !== undefined && { column }),
  };
}

/** Adds the line of the deepest value on the error's path that exists in the text. */
function locate(error: IrError, doc: Document, lines: LineCounter, source?: string): IrError {
  const segments = splitPath(error.path);
  for (let n = segments.length; n >= 0; n--) {
    const node = doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) {
      const pos = lines.linePos(node.range[0]);
      return withPosition(error, source, pos.line, pos.col);
    }
  }
  return withPosition(error, source);
}

/** The inverse of `jsonPath`: `$.a.b[0]["c d"]` → `['a', 'b', 0, 'c d']`. */
export function splitPath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else if (m[3] !== undefined) segments.push(JSON.parse(m[3]) as string);
  }
  return segments;
}
