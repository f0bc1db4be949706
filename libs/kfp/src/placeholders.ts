/**
 * KFP command-line elements → Kiln {@link Arg}s. KFP writes every element as a
 * string: plain text with `{{$...}}` placeholders inside it (an f-string gives
 * several in one element: a Kiln `concat`), or a JSON object `{"Concat": [...]}`
 * / `{"IfPresent": {...}}` for the structured placeholders.
 */
import type { Arg, IoSpec } from '@kiln/ir';
import type { At } from './reader';
import { isRecord } from './reader';

export interface ArgContext {
  readonly inputs: Readonly<Record<string, IoSpec>>;
  readonly outputs: Readonly<Record<string, IoSpec>>;
}

const IDENTITY: Readonly<Record<string, Arg>> = {
  '{{$}}': { kind: 'executorInput' },
  '{{$.outputs.output_file}}': { kind: 'executorOutputFile' },
  '{{$.pipeline_job_name}}': { kind: 'pipelineName' },
  '{{$.pipeline_job_resource_name}}': { kind: 'runId' },
  '{{$.pipeline_job_uuid}}': { kind: 'runId' },
  '{{$.pipeline_task_name}}': { kind: 'taskId' },
};

const UNSUPPORTED: Readonly<Record<string, string>> = {
  '{{$.pipeline_task_uuid}}': 'dsl.PIPELINE_TASK_ID_PLACEHOLDER',
  '{{$.pipeline_job_create_time_utc}}': 'dsl.PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER',
  '{{$.pipeline_job_schedule_time_utc}}': 'dsl.PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER',
  '{{$.pipeline_root}}': 'dsl.PIPELINE_ROOT_PLACEHOLDER',
  '{{$.workspace_path}}': 'dsl.WORKSPACE_PATH_PLACEHOLDER (pipeline workspaces)',
};

const PLACEHOLDER = /\{\{\$[^}]*\}\}/g;

/** Translates a list of command-line elements; undefined entries were reported. */
export function toArgs(list: At, ctx: ArgContext): Arg[] | undefined {
  let ok = true;
  const args: Arg[] = [];
  for (const item of list.items()) {
    const arg = toArg(item, item.value, ctx);
    if (arg === undefined) ok = false;
    else args.push(arg);
  }
  return ok ? args : undefined;
}

function toArg(at: At, value: unknown, ctx: ArgContext): Arg | undefined {
  if (typeof value === 'string') {
    const structured = parseStructured(value);
    return structured === undefined ? fromText(at, value, ctx) : toArg(at, structured, ctx);
  }
  if (isRecord(value) && Object.keys(value).length === 1) {
    if (Array.isArray(value['Concat'])) return concat(at, value['Concat'], ctx);
    if (isRecord(value['IfPresent'])) return ifPresent(at, value['IfPresent'], ctx);
  }
  return at.refuse(
    'command-line elements',
    `expected a string or a Concat/IfPresent placeholder, got ${JSON.stringify(value)}`,
  );
}

/** `'{"Concat": [...]}'` as KFP serializes structured placeholders; anything else stays text. */
function parseStructured(text: string): unknown {
  if (!/^\s*\{\s*"(Concat|IfPresent)"/.test(text)) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) && Object.keys(parsed).length === 1 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function concat(at: At, items: unknown[], ctx: ArgContext): Arg | undefined {
  const args = items.map((item) => toArg(at, item, ctx));
  if (args.some((a) => a === undefined)) return undefined;
  return { kind: 'concat', items: args as Arg[] };
}

function ifPresent(at: At, spec: Record<string, unknown>, ctx: ArgContext): Arg | undefined {
  const input = spec['InputName'];
  if (typeof input !== 'string') return at.refuse('dsl.IfPresentPlaceholder', 'IfPresent without an InputName');
  if (!Object.prototype.hasOwnProperty.call(ctx.inputs, input)) {
    return at.refuse(
      'dsl.IfPresentPlaceholder',
      Object.prototype.hasOwnProperty.call(ctx.outputs, input)
        ? `IfPresent on output "${input}": Kiln's ifPresent tests inputs only`
        : `IfPresent names "${input}", which the component does not declare`,
    );
  }
  const branch = (value: unknown): Arg[] | undefined => {
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    const args = list.map((item) => toArg(at, item, ctx));
    return args.some((a) => a === undefined) ? undefined : (args as Arg[]);
  };
  const then = branch(spec['Then']);
  const otherwise = spec['Else'] === undefined ? [] : branch(spec['Else']);
  if (!then || !otherwise) return undefined;
  return { kind: 'ifPresent', input, then, ...(otherwise.length > 0 && { else: otherwise }) };
}

/** Text with `{{$...}}` placeholders in it: one placeholder, plain text, or a concat of both. */
function fromText(at: At, text: string, ctx: ArgContext): Arg | undefined {
  const parts: Arg[] = [];
  let last = 0;
  let ok = true;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const arg = placeholder(at, match[0], ctx);
    if (arg === undefined) ok = false;
    else parts.push(arg);
    last = match.index + match[0].length;
  }
  if (!ok) return undefined;
  if (last < text.length) parts.push(text.slice(last));
  if (parts.length === 0) return '';
  return parts.length === 1 ? parts[0] : { kind: 'concat', items: parts };
}

function placeholder(at: At, text: string, ctx: ArgContext): Arg | undefined {
  const identity = IDENTITY[text];
  if (identity) return identity;
  const unsupported = UNSUPPORTED[text];
  if (unsupported) return at.refuse(unsupported, `${text} has no Kiln placeholder`);
  const io = /^\{\{\$\.(inputs|outputs)\.(parameters|artifacts)\['([^']+)'\](.*)\}\}$/.exec(text);
  if (!io) return at.refuse('placeholders', `unknown KFP placeholder ${text}`);
  const [, side, kind, name, rest] = io as unknown as [string, 'inputs' | 'outputs', string, string, string];
  const spec = Object.prototype.hasOwnProperty.call(ctx[side], name) ? ctx[side][name] : undefined;
  if (!spec)
    return at.refuse(
      'placeholders',
      `${text} names ${side.slice(0, -1)} "${name}", which the component does not declare`,
    );
  const wanted = kind === 'parameters' ? 'param' : 'artifact';
  if (spec.kind !== wanted)
    return at.refuse(
      'placeholders',
      `${text}: "${name}" is not ${kind === 'parameters' ? 'a parameter' : 'an artifact'}`,
    );
  if (side === 'inputs') {
    if (kind === 'parameters' && rest === '') return { kind: 'inputValue', input: name };
    if (rest === '.path') return { kind: 'inputPath', input: name };
    if (rest === '.uri') return { kind: 'inputUri', input: name };
    if (rest === '.metadata') return { kind: 'inputMetadata', input: name };
  } else {
    if (kind === 'parameters' && rest === '.output_file') return { kind: 'outputPath', output: name };
    if (rest === '.path') return { kind: 'outputPath', output: name };
    if (rest === '.uri') return { kind: 'outputUri', output: name };
  }
  const feature = rest.startsWith('.metadata[')
    ? 'artifact metadata fields in placeholders'
    : rest === '.metadata'
      ? 'output artifact metadata placeholder'
      : rest === ''
        ? 'whole-artifact (list of artifacts) placeholders'
        : 'placeholders';
  return at.refuse(feature, `${text} has no Kiln placeholder`);
}
