/**
 * Command-line placeholders for container components. The `command` callback
 * receives typed `inputs` and `outputs`; a parameter input used bare becomes
 * its value, artifacts expose `.path`, `.uri` and `.metadata`, output
 * parameters `.path` (the file the command writes the value to).
 */
import type { Arg } from '@kiln/ir';
import { DslError } from './errors';
import type { ArtifactDef, IoDefs, ParamDef } from './io';

const ARG: unique symbol = Symbol.for('kiln.arg');

/** One resolved-later command-line element. */
export class Placeholder {
  /** @internal */
  readonly [ARG]: Arg;
  /** @internal */
  constructor(arg: Arg) {
    this[ARG] = arg;
  }
}

/** A parameter input in a command: its value. Usable with `ifPresent`. */
export class InputValue extends Placeholder {
  /** @internal */
  readonly input: string;
  /** @internal */
  constructor(input: string) {
    super({ kind: 'inputValue', input });
    this.input = input;
  }
}

/** An artifact input in a command: pick `.path` (local file), `.uri` (store URI) or `.metadata` (JSON). */
export class ArtifactInput {
  /** @internal */
  readonly input: string;
  /** The local path the launcher downloads the artifact to. */
  readonly path: Placeholder;
  /** The artifact's URI in the store. */
  readonly uri: Placeholder;
  /** The artifact's metadata as JSON text. */
  readonly metadata: Placeholder;
  /** @internal */
  constructor(input: string) {
    this.input = input;
    this.path = new Placeholder({ kind: 'inputPath', input });
    this.uri = new Placeholder({ kind: 'inputUri', input });
    this.metadata = new Placeholder({ kind: 'inputMetadata', input });
  }
}

/** An output parameter in a command: the command writes the value to `.path`. */
export class ParamOutput {
  /** The file the command writes the value to (JSON or plain text). */
  readonly path: Placeholder;
  /** @internal */
  constructor(output: string) {
    this.path = new Placeholder({ kind: 'outputPath', output });
  }
}

/** An output artifact in a command. */
export class ArtifactOutput {
  /** Where the command writes the artifact (file or folder); the launcher uploads it. */
  readonly path: Placeholder;
  /** The URI the artifact will have in the store. */
  readonly uri: Placeholder;
  /** A file the command may write JSON metadata to. */
  readonly metadata: Placeholder;
  /** @internal */
  constructor(output: string) {
    this.path = new Placeholder({ kind: 'outputPath', output });
    this.uri = new Placeholder({ kind: 'outputUri', output });
    this.metadata = new Placeholder({ kind: 'outputMetadata', output });
  }
}

/**
 * The run's id in a command (KFP: `{{$.pipeline_job_uuid}}`).
 * @example
 * ```ts
 * command: ({ outputs }) => ['train', '--tag', concat(pipelineName(), '-', runId(), '-', taskId()), '--out', outputs.model.path]
 * ```
 */
export function runId(): Placeholder {
  return new Placeholder({ kind: 'runId' });
}

/** The pipeline's name in a command (KFP: `{{$.pipeline_job_name}}`). @example `['echo', pipelineName()]` */
export function pipelineName(): Placeholder {
  return new Placeholder({ kind: 'pipelineName' });
}

/** The task's id in a command (KFP: `{{$.pipeline_task_name}}`). @example `['echo', taskId()]` */
export function taskId(): Placeholder {
  return new Placeholder({ kind: 'taskId' });
}

/** The loop position in a command: indices joined by ".", outermost first ("" outside loops). @example `['shard', iteration()]` */
export function iteration(): Placeholder {
  return new Placeholder({ kind: 'iteration' });
}

/** The 1-based attempt number in a command. @example `['echo', 'attempt', attempt()]` */
export function attempt(): Placeholder {
  return new Placeholder({ kind: 'attempt' });
}

/** A command-line element: literal text, a number (written as text) or a placeholder. */
export type CommandArg = string | number | Placeholder;

export type InputPlaceholders<I extends IoDefs> = {
  readonly [K in keyof I]: I[K] extends ArtifactDef ? ArtifactInput : InputValue;
};
export type OutputPlaceholders<O extends IoDefs> = {
  readonly [K in keyof O]: O[K] extends ParamDef ? ParamOutput : ArtifactOutput;
};

/** What `command` and `args` callbacks receive. */
export interface CommandContext<I extends IoDefs, O extends IoDefs> {
  readonly inputs: InputPlaceholders<I>;
  readonly outputs: OutputPlaceholders<O>;
}

export function placeholderContext<I extends IoDefs, O extends IoDefs>(inputs: I, outputs: O): CommandContext<I, O> {
  const ins = Object.fromEntries(
    Object.entries(inputs).map(([name, def]) => [
      name,
      def.kind === 'artifact' ? new ArtifactInput(name) : new InputValue(name),
    ]),
  );
  const outs = Object.fromEntries(
    Object.entries(outputs).map(([name, def]) => [
      name,
      def.kind === 'artifact' ? new ArtifactOutput(name) : new ParamOutput(name),
    ]),
  );
  return { inputs: ins as InputPlaceholders<I>, outputs: outs as OutputPlaceholders<O> };
}

/** Converts what a `command` callback returned into IR args. */
export function toArgs(items: readonly unknown[], where: string): Arg[] {
  if (!Array.isArray(items)) throw new DslError(`${where} must return an array of strings and placeholders`);
  return items.map((item, i) => toArg(item, `${where}[${i}]`));
}

function toArg(item: unknown, where: string): Arg {
  if (typeof item === 'string') return item;
  if (typeof item === 'number' && Number.isFinite(item)) return String(item);
  if (item instanceof Placeholder) return item[ARG];
  if (item instanceof ArtifactInput) {
    throw new DslError(
      `${where}: artifact input '${item.input}' must say which placeholder it wants: .path, .uri or .metadata`,
    );
  }
  if (item instanceof ParamOutput || item instanceof ArtifactOutput) {
    throw new DslError(`${where}: an output must say which placeholder it wants, e.g. outputs.x.path`);
  }
  throw new DslError(
    `${where}: ${item === undefined ? 'undefined (a misspelt input or output?)' : JSON.stringify(item)} is not a string, number or placeholder`,
  );
}

/**
 * Joins several elements into one argument, e.g. `--model=<path>`.
 *
 * @example
 * ```ts
 * command: ({ inputs }) => ['train', concat('--data=', inputs.data.path)]
 * ```
 */
export function concat(...items: CommandArg[]): Placeholder {
  return new Placeholder({ kind: 'concat', items: toArgs(items, 'concat()') });
}

/**
 * Elements that appear only when an optional input is bound (`else` otherwise).
 *
 * @example
 * ```ts
 * command: ({ inputs }) => ['train', ifPresent(inputs.seed, ['--seed', inputs.seed])]
 * ```
 */
export function ifPresent(
  input: InputValue | ArtifactInput,
  then: readonly CommandArg[],
  otherwise?: readonly CommandArg[],
): Placeholder {
  if (!(input instanceof InputValue) && !(input instanceof ArtifactInput)) {
    throw new DslError('ifPresent(): the first argument must be an input, e.g. ifPresent(inputs.seed, [...])');
  }
  const arg: Arg = { kind: 'ifPresent', input: input.input, then: toArgs(then, 'ifPresent() then') };
  if (otherwise !== undefined) arg.else = toArgs(otherwise, 'ifPresent() else');
  return new Placeholder(arg);
}
