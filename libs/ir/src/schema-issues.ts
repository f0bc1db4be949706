/**
 * Turns zod issues into {@link IrError}s with JSON paths. Unions get special care:
 * zod reports every alternative's failure, while a person wants to hear about the
 * alternative they evidently meant (the one whose `type`/`kind`/`op` matched).
 */
import type { z } from 'zod';
import type { IrError } from './errors';
import { jsonPath, type PathSegment } from './json-path';

type Issue = z.core.$ZodIssue;

const discriminators = new Set(['type', 'kind', 'op']);

export function schemaErrors(issues: readonly Issue[]): IrError[] {
  const errors: IrError[] = [];
  for (const issue of issues) collect(issue, [], errors);
  return errors;
}

function toSegments(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

function collect(issue: Issue, prefix: PathSegment[], out: IrError[]): void {
  const at = [...prefix, ...toSegments(issue.path)];
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        out.push({ code: 'schema', path: jsonPath([...at, key]), message: `unknown field "${key}"` });
      }
      return;
    case 'invalid_union':
      return collectUnion(issue, at, out);
    case 'invalid_key': {
      const inner = issue.issues.map((i) => i.message).join('; ');
      out.push({ code: 'schema', path: jsonPath(at), message: `invalid key "${String(at[at.length - 1])}": ${inner}` });
      return;
    }
    case 'invalid_element':
      for (const inner of issue.issues) collect(inner, at, out);
      return;
    case 'invalid_type':
      if (issue.message.endsWith('received undefined')) {
        out.push({
          code: 'schema',
          path: jsonPath(at),
          message: `required field is missing (expected ${issue.expected})`,
        });
        return;
      }
      break;
    default:
      break;
  }
  out.push({ code: 'schema', path: jsonPath(at), message: lowerFirst(issue.message) });
}

function isRootTypeFailure(branch: readonly Issue[]): boolean {
  return branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
}

function failsOnDiscriminator(branch: readonly Issue[]): boolean {
  return branch.some(
    (i) =>
      i.path.length === 1 &&
      typeof i.path[0] === 'string' &&
      discriminators.has(i.path[0]) &&
      (i.code === 'invalid_value' || i.code === 'invalid_type'),
  );
}

function collectUnion(issue: Extract<Issue, { code: 'invalid_union' }>, at: PathSegment[], out: IrError[]): void {
  const branches = issue.errors;
  if (branches.length === 0) {
    // A discriminated union whose discriminator matched nothing: zod's message lists the options.
    out.push({ code: 'schema', path: jsonPath(at), message: lowerFirst(issue.message) });
    return;
  }
  if (branches.every(isRootTypeFailure)) {
    const expected = [...new Set(branches.map((b) => (b[0] && 'expected' in b[0] ? String(b[0].expected) : '?')))];
    const missing = branches[0]?.[0]?.message.endsWith('received undefined');
    out.push({
      code: 'schema',
      path: jsonPath(at),
      message: missing
        ? `required field is missing (expected ${expected.join(' | ')})`
        : `expected ${expected.join(' | ')}`,
    });
    return;
  }
  const deeper = branches.filter((b) => !isRootTypeFailure(b));
  const meant = deeper.filter((b) => !failsOnDiscriminator(b));
  if (meant.length > 0) {
    const best = meant.reduce((a, b) => (b.length < a.length ? b : a));
    for (const inner of best) collect(inner, at, out);
    return;
  }
  // Every alternative rejected the discriminator: say which values would do.
  const key = deeper.flatMap((b) => b.filter(failsOnDiscriminatorIssue)).map((i) => String(i.path[0]))[0];
  const allowed = deeper.flatMap((b) =>
    b.filter(failsOnDiscriminatorIssue).flatMap((i) => (i.code === 'invalid_value' ? i.values.map(String) : [])),
  );
  out.push({
    code: 'schema',
    path: jsonPath(key ? [...at, key] : at),
    message:
      allowed.length > 0
        ? `must be one of ${[...new Set(allowed)].map((v) => `"${v}"`).join(', ')}`
        : 'matches none of the allowed shapes',
  });
}

function failsOnDiscriminatorIssue(i: Issue): boolean {
  return failsOnDiscriminator([i]);
}

function lowerFirst(message: string): string {
  return message.charAt(0).toLowerCase() + message.slice(1);
}
