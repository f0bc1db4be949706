/**
 * Placeholder resolution: turns a component's `command`/`args` (strings and
 * placeholder objects) into an argv. The argv goes straight to `spawn`, never
 * through a shell, so a value is one argument whatever characters it holds.
 */
import type { Arg, Component, JsonValue } from '@kiln/ir';
import { configurationError } from './errors';
import { buildExecutorInput } from './kfp/executor-input';
import { kfpExecutorOutputFile } from './kfp/local-paths';
import type { WorkLayout } from './layout';
import type { LaunchArtifact, LaunchRequest } from './request';

/** Local copies of the input artifacts, by input name (a list input has one path per item). */
export type LocalInputs = Record<string, string | string[]>;

export interface PlaceholderContext {
  request: LaunchRequest;
  layout: WorkLayout;
  localInputs: LocalInputs;
}

export interface ResolvedCommand {
  argv: string[];
  /** Parameter values an `inputPath` placeholder asked for as files: path → content, to write before running. */
  paramFiles: Map<string, string>;
}

/**
 * How a parameter value appears on a command line: strings as they are,
 * everything else as JSON (`3`, `true`, `[1,2]`, `{"a":1}`).
 *
 * @example
 * ```ts
 * formatValue('a b') // 'a b'
 * formatValue(0.5)   // '0.5'
 * formatValue([1])   // '[1]'
 * ```
 */
export function formatValue(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Resolves `command` followed by `args` of a container component.
 *
 * @example
 * ```ts
 * resolveCommand([...component.implementation.command, ...(component.implementation.args ?? [])], ctx).argv
 * // ['python', 'eval.py', '--model', '/work/inputs/model/model.pkl', '--min', '0.85']
 * ```
 */
export function resolveCommand(args: Arg[], ctx: PlaceholderContext): ResolvedCommand {
  const paramFiles = new Map<string, string>();
  const argv = args.flatMap((arg) => resolveArg(arg, ctx, paramFiles));
  return { argv, paramFiles };
}

/** A parameter input's value: given, else the component's default, else absent. */
export function paramValue(component: Component, request: LaunchRequest, name: string): JsonValue | undefined {
  const given = request.inputs.params[name];
  if (given !== undefined) return given;
  const spec = component.inputs[name];
  return spec?.kind === 'param' ? spec.default : undefined;
}

function isPresent(ctx: PlaceholderContext, name: string): boolean {
  const spec = ctx.request.component.inputs[name];
  if (!spec)
    throw configurationError(
      `ifPresent names input "${name}", which component "${ctx.request.component.name}" does not declare`,
      'UnknownPlaceholderInput',
    );
  if (spec.kind === 'artifact') return ctx.request.inputs.artifacts[name] !== undefined;
  const value = ctx.request.inputs.params[name];
  return value !== undefined && value !== null;
}

function resolveArg(arg: Arg, ctx: PlaceholderContext, paramFiles: Map<string, string>): string[] {
  if (typeof arg === 'string') return [arg];
  const { component } = ctx.request;
  switch (arg.kind) {
    case 'runId':
    case 'pipelineName':
    case 'taskId':
    case 'iteration':
    case 'attempt':
      return [identityValue(ctx, arg.kind)];
    case 'executorInput':
      return [JSON.stringify(buildExecutorInput(ctx))];
    case 'executorOutputFile':
      return [kfpExecutorOutputFile(ctx.layout)];
    case 'concat':
      return [arg.items.map((item) => resolveArg(item, ctx, paramFiles).join('')).join('')];
    case 'ifPresent':
      return (isPresent(ctx, arg.input) ? arg.then : (arg.else ?? [])).flatMap((item) =>
        resolveArg(item, ctx, paramFiles),
      );
    case 'inputValue': {
      const spec = inputSpec(ctx, arg.input, arg.kind);
      if (spec.kind === 'artifact') {
        throw configurationError(
          `inputValue of "${arg.input}": it is an artifact; use inputPath or inputUri`,
          'InvalidPlaceholder',
        );
      }
      return [formatValue(requiredParam(ctx, arg.input))];
    }
    case 'inputPath': {
      const spec = inputSpec(ctx, arg.input, arg.kind);
      if (spec.kind === 'param') {
        // KFP allows a parameter as a file; the value is written there before the command starts.
        const path = ctx.layout.inputParamFile(arg.input);
        paramFiles.set(path, formatValue(requiredParam(ctx, arg.input)));
        return [path];
      }
      const local = ctx.localInputs[arg.input];
      if (local === undefined) throw missingArtifact(ctx, arg.input);
      return [typeof local === 'string' ? local : JSON.stringify(local)];
    }
    case 'inputUri':
      return [fromArtifacts(ctx, arg.input, arg.kind, (a) => a.uri)];
    case 'inputMetadata':
      return [fromArtifacts(ctx, arg.input, arg.kind, (a) => a.metadata)];
    case 'outputPath': {
      const spec = outputSpec(ctx, arg.output, arg.kind);
      if (spec.kind === 'param') return [ctx.layout.outputParamFile(arg.output)];
      return [ctx.layout.outputArtifact(arg.output, outputArtifact(ctx, arg.output).uri)];
    }
    case 'outputUri':
      if (outputSpec(ctx, arg.output, arg.kind).kind === 'param') {
        throw configurationError(
          `outputUri of "${arg.output}": it is a parameter; use outputPath`,
          'InvalidPlaceholder',
        );
      }
      return [outputArtifact(ctx, arg.output).uri];
    case 'outputMetadata':
      if (outputSpec(ctx, arg.output, arg.kind).kind === 'param') {
        throw configurationError(
          `outputMetadata of "${arg.output}": it is a parameter, which has no metadata`,
          'InvalidPlaceholder',
        );
      }
      return [ctx.layout.outputMetadataFile(arg.output)];
  }
  // Unreachable for valid IR; a newer IR with an unknown placeholder must not run silently wrong.
  throw configurationError(
    `unknown placeholder ${JSON.stringify(arg)} in component "${component.name}"`,
    'InvalidPlaceholder',
  );
}

function identityValue(
  ctx: PlaceholderContext,
  kind: 'runId' | 'pipelineName' | 'taskId' | 'iteration' | 'attempt',
): string {
  const identity = ctx.request.identity;
  if (!identity) {
    throw configurationError(
      `the ${kind} placeholder needs the step's identity, which this executor did not pass in the launch request`,
      'InvalidPlaceholder',
    );
  }
  switch (kind) {
    case 'iteration':
      return identity.iteration.join('.');
    case 'attempt':
      return String(identity.attempt);
    default:
      return identity[kind];
  }
}

function inputSpec(ctx: PlaceholderContext, name: string, kind: string) {
  const spec = ctx.request.component.inputs[name];
  if (!spec) {
    throw configurationError(
      `${kind} names input "${name}", which component "${ctx.request.component.name}" does not declare`,
      'UnknownPlaceholderInput',
    );
  }
  return spec;
}

function outputSpec(ctx: PlaceholderContext, name: string, kind: string) {
  const spec = ctx.request.component.outputs[name];
  if (!spec) {
    throw configurationError(
      `${kind} names output "${name}", which component "${ctx.request.component.name}" does not declare`,
      'UnknownPlaceholderOutput',
    );
  }
  return spec;
}

function requiredParam(ctx: PlaceholderContext, name: string): JsonValue {
  const value = paramValue(ctx.request.component, ctx.request, name);
  if (value === undefined) {
    throw configurationError(
      `input "${name}" has no value and no default; wrap optional inputs in ifPresent`,
      'MissingInput',
    );
  }
  return value;
}

function missingArtifact(ctx: PlaceholderContext, name: string) {
  return configurationError(
    `artifact input "${name}" of component "${ctx.request.component.name}" was not provided; wrap optional inputs in ifPresent`,
    'MissingInput',
  );
}

function fromArtifacts(
  ctx: PlaceholderContext,
  name: string,
  kind: string,
  pick: (a: LaunchArtifact) => JsonValue,
): string {
  if (inputSpec(ctx, name, kind).kind === 'param') {
    throw configurationError(`${kind} of "${name}": it is a parameter; use inputValue`, 'InvalidPlaceholder');
  }
  const given = ctx.request.inputs.artifacts[name];
  if (given === undefined) throw missingArtifact(ctx, name);
  return formatValue(Array.isArray(given) ? given.map(pick) : pick(given));
}

function outputArtifact(ctx: PlaceholderContext, name: string): { uri: string } {
  const out = ctx.request.outputs.artifacts[name];
  if (!out) throw configurationError(`output artifact "${name}" has no URI in the request`, 'MissingOutputUri');
  return out;
}
