/** One step of a path into a JSON document: an object key or an array index. */
export type PathSegment = string | number;

// Task ids are DNS labels and input names identifiers: both read well after a dot.
const plainKey = /^[A-Za-z0-9_-]+$/;

/**
 * Formats path segments as a JSON path: `$.root.tasks.train.inputs.dataset`,
 * `$.root.tasks.when-ok.branches[0]`, `$.params["odd key"]`. Keys made of
 * letters, digits, `_` and `-` use dot notation so task ids stay readable.
 */
export function jsonPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (plainKey.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
