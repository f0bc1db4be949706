/** Small, forgiving readers of Python source: enough to find a function and its parameter names. */
import { DslError } from './errors';

/** Removes the common leading indentation (template literals are usually indented with the TS code). */
export function dedent(source: string): string {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  while (lines.length > 0 && (lines[0] as string).trim() === '') lines.shift();
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => (/^[ \t]*/.exec(l) as RegExpExecArray)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return `${lines.map((l) => l.slice(cut).replace(/[ \t]+$/, '')).join('\n')}\n`;
}

/** The function the shim calls when none is named: the only top-level `def`, else `main`. */
export function pythonEntrypoint(source: string, component: string): string {
  const names = [...source.matchAll(/^(?:async\s+)?def\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/gm)].map((m) => m[1] as string);
  if (names.length === 1) return names[0] as string;
  if (names.includes('main')) return 'main';
  throw new DslError(
    names.length === 0
      ? `python component '${component}': source defines no top-level function`
      : `python component '${component}': source defines ${names.join(', ')}; say which one to call with entrypoint`,
  );
}

/** Parameter names of a top-level function; `required` lacks a default. Undefined when not found. */
export function pythonParams(
  source: string,
  fn: string,
): { names: string[]; required: string[]; varKeyword: boolean } | undefined {
  const start = new RegExp(`^(?:async\\s+)?def\\s+${fn}\\s*\\(`, 'm').exec(source);
  if (start === null) return undefined;
  let depth = 1;
  let i = start.index + start[0].length;
  const from = i;
  let quote: string | undefined;
  for (; i < source.length && depth > 0; i++) {
    const c = source[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  const text = source.slice(from, i - 1);
  const parts: string[] = [];
  let cur = '';
  depth = 0;
  for (const c of text) {
    if (c === '(' || c === '[' || c === '{') depth++;
    if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  const names: string[] = [];
  const required: string[] = [];
  let varKeyword = false;
  for (const raw of parts
    .map((p) => p.replace(/#.*$/gm, '').trim())
    .filter((p) => p !== '' && p !== '*' && p !== '/')) {
    if (raw.startsWith('**')) {
      varKeyword = true;
      continue;
    }
    if (raw.startsWith('*')) continue;
    const name = (/^[A-Za-z_][A-Za-z0-9_]*/.exec(raw) ?? [''])[0];
    if (name === '') continue;
    names.push(name);
    if (!raw.includes('=')) required.push(name);
  }
  return { names, required, varKeyword };
}
