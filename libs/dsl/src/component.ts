/**
 * Components: `component` (any container), `python` (a function run through
 * the launcher's shim, KFP-lightweight style) and `importer` (an existing URI
 * brought in as an artifact). A component is a function: call it inside a
 * pipeline body to add a task.
 */
import type { ArtifactType, Component as IrComponent, IoSpec, JsonValue } from '@kiln/ir';
import { type ComponentImpl, IMPL } from './component-impl';
import { DslError } from './errors';
import { type IoDefs, toIoSpec } from './io';
import { type CommandArg, type CommandContext, placeholderContext, toArgs } from './placeholders';
import { type ArtifactRef, type ParamRef, Ref, SOURCE, TYPE, toJson } from './refs';
import { callComponent, Task } from './task';
import type { OutputRefs, TaskArgsParam } from './types';
import { currentScope } from './graph';
import { dedent, pythonEntrypoint, pythonParams } from './python-source';
import { readTextFile } from './read-file';

/**
 * A component: call it inside a pipeline body with its inputs to add a task.
 * `inputs` and `outputs` are its definitions.
 */
export interface Component<I extends IoDefs = IoDefs, O extends IoDefs = IoDefs> {
  (...args: TaskArgsParam<I>): Task<OutputRefs<O>>;
  /** The component's name (a DNS label); task ids derive from it. */
  readonly componentName: string;
  readonly inputs: I;
  readonly outputs: O;
  /** @internal */
  readonly [IMPL]: ComponentImpl;
}

const dnsLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkName(name: unknown, what: string): string {
  if (typeof name !== 'string' || !dnsLabel.test(name)) {
    throw new DslError(
      `${what} name ${JSON.stringify(name)} must be lowercase letters, digits and dashes (a DNS label, at most 63 characters), e.g. 'train-model'`,
    );
  }
  return name;
}

function ioSpecs(defs: IoDefs | undefined, owner: string, side: 'input' | 'output'): Record<string, IoSpec> {
  const specs: Record<string, IoSpec> = {};
  for (const [name, def] of Object.entries(defs ?? {})) {
    if (!identifier.test(name))
      throw new DslError(
        `component '${owner}': ${side} name '${name}' must be an identifier (letters, digits, underscores)`,
      );
    if (def === null || typeof def !== 'object' || (def.kind !== 'param' && def.kind !== 'artifact')) {
      throw new DslError(`component '${owner}': ${side} '${name}' must be a param.*() or artifact.*() definition`);
    }
    specs[name] = toIoSpec(def);
  }
  return specs;
}

/** Builds the callable for an implementation. */
export function makeComponent<I extends IoDefs, O extends IoDefs>(
  impl: ComponentImpl,
  inputs: I,
  outputs: O,
): Component<I, O> {
  const call = (...args: TaskArgsParam<I>): Task<OutputRefs<O>> => callComponent<OutputRefs<O>>(impl, args[0]);
  Object.defineProperties(call, {
    componentName: { value: impl.name, enumerable: true },
    inputs: { value: inputs, enumerable: true },
    outputs: { value: outputs, enumerable: true },
    [IMPL]: { value: impl },
  });
  return call as unknown as Component<I, O>;
}

/** A container component's definition. */
export interface ContainerOptions<I extends IoDefs, O extends IoDefs> {
  /** A DNS label: `train-model`. */
  name: string;
  description?: string;
  /** Any container image. */
  image: string;
  inputs?: I;
  outputs?: O;
  /** The entrypoint and its arguments, with placeholders for inputs and outputs. */
  command: readonly CommandArg[] | ((io: CommandContext<I, O>) => readonly CommandArg[]);
  /** Arguments appended after `command` (same placeholders). */
  args?: readonly CommandArg[] | ((io: CommandContext<I, O>) => readonly CommandArg[]);
}

/**
 * A container component: any image, any command. Parameter inputs used bare
 * in the command become their values; artifacts give `.path`, `.uri`,
 * `.metadata`; output parameters are written by the command to `.path`.
 *
 * @example
 * ```ts
 * const evaluate = component({
 *   name: 'evaluate',
 *   image: 'ghcr.io/acme/eval:1.2',
 *   inputs: { model: artifact.model(), minAccuracy: param.float(), seed: param.int({ optional: true }) },
 *   outputs: { decision: param.string(), report: artifact.html() },
 *   command: ({ inputs, outputs }) => [
 *     'python', 'eval.py', '--model', inputs.model.path, concat('--min=', inputs.minAccuracy),
 *     ifPresent(inputs.seed, ['--seed', inputs.seed]),
 *     '--decision-file', outputs.decision.path, '--report', outputs.report.path,
 *   ],
 * });
 * ```
 */
export function component<I extends IoDefs = Record<never, never>, O extends IoDefs = Record<never, never>>(
  options: ContainerOptions<I, O>,
): Component<I, O> {
  const name = checkName(options.name, 'component');
  if (typeof options.image !== 'string' || options.image.length === 0)
    throw new DslError(`component '${name}': image is required`);
  const inputs = (options.inputs ?? {}) as I;
  const outputs = (options.outputs ?? {}) as O;
  const ctx = placeholderContext(inputs, outputs);
  const run = (what: 'command' | 'args', value: ContainerOptions<I, O>['command']): ReturnType<typeof toArgs> =>
    toArgs(typeof value === 'function' ? value(ctx) : value, `component '${name}' ${what}`);
  const command = run('command', options.command);
  if (command.length === 0) throw new DslError(`component '${name}': command must not be empty`);
  const ir: IrComponent = {
    name,
    inputs: ioSpecs(inputs, name, 'input'),
    outputs: ioSpecs(outputs, name, 'output'),
    implementation: { type: 'container', image: options.image, command },
  };
  if (options.args !== undefined && ir.implementation.type === 'container')
    ir.implementation.args = run('args', options.args);
  if (options.description !== undefined) ir.description = options.description;
  return makeComponent({ name, inputs: ir.inputs, outputs: ir.outputs, ir }, inputs, outputs);
}

/** A Python function component's definition. */
export interface PythonOptions<I extends IoDefs, O extends IoDefs> {
  name: string;
  description?: string;
  /** Image with Python 3 (default `python:3.11-slim`). */
  image?: string;
  /** pip requirements installed before the function runs (cached per package set). */
  packages?: readonly string[];
  inputs?: I;
  outputs?: O;
  /** Python source defining the function (indentation of a template literal is removed); or give `file`. */
  source?: string;
  /**
   * A Python file next to the pipeline holding the function, so it gets a Python editor, linter and tests:
   * a `file:` URL (`new URL('./train.py', import.meta.url)`) or an absolute path. Read when the pipeline is
   * defined; its text becomes the component's source.
   */
  file?: string | URL;
  /** The function to call; default: the only top-level function, or `main`. */
  entrypoint?: string;
  /** Same as `entrypoint` (the name `python({ file, function })` reads best with). */
  function?: string;
}

/** The component's Python source: `source`, or the text of `file`; exactly one of them. */
function pythonSource(options: { source?: string; file?: string | URL }, name: string): string {
  if (options.source !== undefined && options.file !== undefined)
    throw new DslError(`python component '${name}': give source or file, not both`);
  if (options.file !== undefined) {
    const file = options.file;
    if (typeof file === 'string' && !file.startsWith('/')) {
      throw new DslError(
        `python component '${name}': file '${file}' is relative; write new URL('${file}', import.meta.url) (or an absolute path) so it is found next to the pipeline wherever kiln runs`,
      );
    }
    const text = readTextFile(file, `python component '${name}'`);
    if (text.trim().length === 0) throw new DslError(`python component '${name}': ${String(file)} is empty`);
    return text;
  }
  if (typeof options.source !== 'string' || options.source.trim().length === 0)
    throw new DslError(`python component '${name}': source (or file) is required`);
  return options.source;
}

/** The shim's name mapping (`kiln_shim.py` `_snake`): a lower/digit followed by an upper letter gets an underscore. */
function snakeCase(name: string): string {
  return name.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
}

/**
 * A Python function component, KFP-lightweight style. The launcher's shim calls
 * `entrypoint(**kwargs)` with every input by name (parameters as values,
 * artifacts as objects with `.path`, `.uri`, `.metadata`) and every output
 * artifact by name (metrics artifacts also have `log_metric(name, value)`);
 * output parameters come from the dict the function returns, or from the files
 * of parameters annotated `OutputPath(...)`. As in KFP, `InputPath(...)` /
 * `OutputPath(...)` parameters get paths, the source may keep its
 * `@dsl.component(...)` decorator (`from kfp import dsl` works without kfp),
 * and a parameter defaulting to `dsl.PIPELINE_JOB_NAME_PLACEHOLDER` (or the
 * job id / task name placeholders) gets the run's identity, also readable as
 * `kiln.dsl.context()`. The function's parameter names are checked against the
 * inputs and outputs here, for inline `source` and for a `file` alike.
 *
 * @example
 * ```ts
 * const train = python({
 *   name: 'train-model',
 *   packages: ['pandas', 'scikit-learn'],
 *   inputs: { dataset: artifact.dataset(), trees: param.int({ default: 100 }) },
 *   outputs: { model: artifact.model(), accuracy: param.float() },
 *   source: `
 *     def train(dataset, trees, model):
 *         ...
 *         return {"accuracy": acc}
 *   `,
 * });
 * // or the function in a file next to the pipeline, with its KFP decorator and annotations kept:
 * const evaluate = python({
 *   name: 'evaluate',
 *   inputs: { model: artifact.model() },
 *   outputs: { decision: param.string() },
 *   file: new URL('./evaluate.py', import.meta.url),
 *   function: 'evaluate',
 * });
 * ```
 */
export function python<I extends IoDefs = Record<never, never>, O extends IoDefs = Record<never, never>>(
  options: PythonOptions<I, O>,
): Component<I, O> {
  const name = checkName(options.name, 'component');
  const inputs = (options.inputs ?? {}) as I;
  const outputs = (options.outputs ?? {}) as O;
  const source = dedent(pythonSource(options, name));
  const entrypoint = options.entrypoint ?? options.function ?? pythonEntrypoint(source, name);
  const ir: IrComponent = {
    name,
    inputs: ioSpecs(inputs, name, 'input'),
    outputs: ioSpecs(outputs, name, 'output'),
    implementation: {
      type: 'python',
      image: options.image ?? 'python:3.11-slim',
      packages: [...(options.packages ?? [])],
      source,
      entrypoint,
    },
  };
  if (options.description !== undefined) ir.description = options.description;
  const signature = pythonParams(source, entrypoint);
  if (signature === undefined)
    throw new DslError(`python component '${name}': no top-level function '${entrypoint}' in source`);
  const passed = [
    ...Object.keys(ir.inputs),
    ...Object.entries(ir.outputs)
      .filter(([, s]) => s.kind === 'artifact')
      .map(([n]) => n),
  ];
  // An output parameter may be a parameter too (`total: OutputPath(int)`): the shim passes a file to write.
  const outputParams = Object.entries(ir.outputs)
    .filter(([, s]) => s.kind === 'param')
    .map(([n]) => n);
  if (!signature.varKeyword) {
    // The shim matches names exactly or through snake_case (`minAccuracy` → `min_accuracy`), so check the same way.
    const takes = new Set(signature.names.map(snakeCase));
    const unknown = passed.filter((p) => !takes.has(snakeCase(p)));
    if (unknown.length > 0) {
      throw new DslError(
        `python component '${name}': ${entrypoint}() does not take ${unknown.map((u) => `'${u}'`).join(', ')}; the shim passes every input and output artifact by name (output parameters are returned in a dict)`,
      );
    }
  }
  const passedSnake = new Set([...passed, ...outputParams].map(snakeCase));
  const extra = signature.required.filter((p) => !passedSnake.has(snakeCase(p)));
  if (extra.length > 0) {
    throw new DslError(
      `python component '${name}': ${entrypoint}() requires ${extra.map((u) => `'${u}'`).join(', ')}, which is neither an input nor an output artifact`,
    );
  }
  return makeComponent({ name, inputs: ir.inputs, outputs: ir.outputs, ir }, inputs, outputs);
}

/** What `importer` takes. */
export interface ImporterOptions<A extends ArtifactType> {
  /** Component name (default `importer`). */
  name?: string;
  /** The URI to import: text, or a string pipeline parameter/output. */
  uri: string | ParamRef<'string' | 'any', unknown>;
  artifactType: A;
  /** Metadata recorded on the imported artifact. */
  metadata?: Record<string, unknown>;
  /** Import again on every run instead of reusing an earlier import of the same URI (default false). */
  reimport?: boolean;
}

/**
 * Brings an existing URI in as an artifact; the task's `outputs.artifact` has the given type.
 *
 * @example
 * ```ts
 * const data = importer({ uri: p.dataUri, artifactType: 'dataset', metadata: { source: 'warehouse' } });
 * train({ dataset: data.outputs.artifact });
 * ```
 */
export function importer<A extends ArtifactType>(
  options: ImporterOptions<A>,
): Task<{ readonly artifact: ArtifactRef<A> }> {
  const name = checkName(options.name ?? 'importer', 'importer');
  currentScope(`importer '${name}'`);
  const outputs: Record<string, IoSpec> = { artifact: { kind: 'artifact', type: options.artifactType } };
  const isRef = options.uri instanceof Ref;
  if (!isRef && (typeof options.uri !== 'string' || options.uri.length === 0))
    throw new DslError(`importer '${name}': uri must be a non-empty string or a string parameter`);
  if (isRef) {
    const t = (options.uri as Ref)[TYPE];
    if (t.kind !== 'param' || (t.type !== 'string' && t.type !== 'any'))
      throw new DslError(`importer '${name}': uri must be a string parameter`);
    void (options.uri as Ref)[SOURCE];
  }
  const inputs: Record<string, IoSpec> = isRef ? { uri: { kind: 'param', type: 'string' } } : {};
  const ir: IrComponent = {
    name,
    inputs,
    outputs,
    implementation: {
      type: 'importer',
      uri: isRef ? { kind: 'param', name: 'uri' } : { kind: 'constant', value: options.uri as string },
      artifactType: options.artifactType,
      reimport: options.reimport ?? false,
    },
  };
  if (options.metadata !== undefined && ir.implementation.type === 'importer') {
    ir.implementation.metadata = toJson(options.metadata, `importer '${name}' metadata`) as Record<string, JsonValue>;
  }
  return callComponent({ name, inputs, outputs, ir }, isRef ? { uri: options.uri } : {});
}
