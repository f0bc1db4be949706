// Kubernetes `$(VAR)` expansion, ported from k8s third_party/forked/golang/expansion:
// `$$` escapes to `$`, an unknown `$(VAR)` is left as written, anything else is literal.

export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    const [text, isVar, advance] = readVariableName(rest);
    if (isVar) out += lookup(text) ?? `$(${text})`;
    else out += text;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

function readVariableName(input: string): [string, boolean, number] {
  if (input[0] === '$') return ['$', false, 1];
  if (input[0] === '(') {
    const close = input.indexOf(')', 1);
    if (close >= 0) return [input.slice(1, close), true, close + 1];
    return ['$(', false, 1];
  }
  return [`$${input[0]}`, false, 1];
}
