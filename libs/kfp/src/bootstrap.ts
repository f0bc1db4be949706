/**
 * Recognises the `pip install` bootstrap the KFP SDK puts in front of a
 * lightweight Python component's command:
 *
 *     sh -c '<ensure pip> PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install ... && "$0" "$@"' <the rest>
 *
 * and reads each `pip install` invocation's arguments, so an executor can run
 * them into a cached virtualenv instead of the host's Python. Anything that does
 * not match the SDK's script exactly is left alone (the command still runs as
 * written).
 */
import type { KfpExecutor } from '@kiln/ir';

type Bootstrap = NonNullable<KfpExecutor['pythonBootstrap']>;

const HEAD =
  '\nif ! [ -x "$(command -v pip)" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 ';
const TAIL = ' && "$0" "$@"\n';
const VENV =
  '\nexport PIP_DISABLE_PIP_VERSION_CHECK=1\ntmp=$(mktemp -d)\npython3 -m venv "$tmp/venv" --system-site-packages\n. "$tmp/venv/bin/activate"\n';
const PIP = ['python3', '-m', 'pip', 'install'];

/** The bootstrap at the start of `command`, if it is the KFP SDK's. */
export function readBootstrap(command: readonly unknown[]): Bootstrap | undefined {
  const [shell, flag, script] = command;
  if (shell !== 'sh' || flag !== '-c' || typeof script !== 'string' || command.length < 4) return undefined;
  if (!script.startsWith(HEAD) || !script.endsWith(TAIL)) return undefined;
  let body = script.slice(HEAD.length, script.length - TAIL.length);
  const venv = body.includes(VENV);
  if (venv) body = body.replace(VENV, ' && ');
  const tokens = shellWords(body);
  if (!tokens) return undefined;
  const pipInstalls: string[][] = [];
  let current: string[] | undefined;
  for (const token of tokens) {
    if (token === '&&') {
      if (current) pipInstalls.push(current);
      current = undefined;
    } else if (current) current.push(token);
    else current = [token];
  }
  if (current) pipInstalls.push(current);
  const args: string[][] = [];
  for (const words of pipInstalls) {
    if (PIP.some((word, i) => words[i] !== word)) return undefined;
    args.push(words.slice(PIP.length));
  }
  return args.length > 0 ? { commandPrefix: 3, pipInstalls: args, venv } : undefined;
}

/** Splits shell text into words ('single', "double" and bare), with `&&` as its own word. */
function shellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith('&&', i)) {
      words.push('&&');
      i += 2;
      continue;
    }
    let word = '';
    while (i < text.length && !/\s/.test(text[i] as string) && !text.startsWith('&&', i)) {
      const ch = text[i] as string;
      if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) return undefined;
        word += text.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        let j = i + 1;
        while (j < text.length && text[j] !== '"') {
          if (text[j] === '\\' && j + 1 < text.length) j++;
          word += text[j];
          j++;
        }
        if (j >= text.length) return undefined;
        i = j + 1;
      } else if (/[;|&<>()$`\\]/.test(ch)) {
        // Anything beyond plain words means this is not the SDK's script.
        return undefined;
      } else {
        word += ch;
        i++;
      }
    }
    words.push(word);
  }
  return words;
}
