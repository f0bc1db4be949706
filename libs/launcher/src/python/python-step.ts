/**
 * Turning a python component into a command: the interpreter, the shim, and a
 * spec file telling the shim what to call with what; then reading the shim's
 * answer back. Packages are either already in the interpreter (the local
 * executor's cached venv) or installed by the shim when it starts (a pod's main
 * container, the way KFP installs `packages_to_install`).
 */
import { readFile } from 'node:fs/promises';
import type { JsonValue, ParamType } from '@kiln/ir';
import { LaunchError } from '../errors';
import type { WorkLayout } from '../layout';
import { checkParamValue } from '../param-values';
import { paramValue, type LocalInputs } from '../placeholders';
import { pythonShimPath } from '../paths';
import type { StepCommand } from '../phases/resolve';
import type { LaunchRequest } from '../request';

/** The implementation of a python component, as in the IR. */
export interface PythonImpl {
  type: 'python';
  image: string;
  packages: string[];
  source: string;
  entrypoint: string;
}

/** What the shim reports on success. */
export interface ShimResult {
  params: Record<string, JsonValue>;
  artifacts: Record<string, { metadata: Record<string, JsonValue> }>;
}

/**
 * Where the shim and the component's packages come from.
 * - `host`: the shim runs from the launcher's folder and `python` already has the packages (a cached venv, see `ensurePython`).
 * - `work-dir`: the command sees nothing but the work folder (a pod's main container): the shim is copied
 *   there, and it installs the packages into `layout.pythonEnvDir` before calling the function, reusing
 *   what the interpreter already has.
 */
export type PythonSetup = 'host' | 'work-dir';

export interface PythonStepOptions {
  /** The interpreter: a path or a name on PATH. */
  python: string;
  /** Default `host`. */
  setup?: PythonSetup;
}

/**
 * The argv of a python step and the files it needs in the work folder (the
 * component source, the shim spec, in `work-dir` setup the shim itself).
 * Touches nothing: write the files with `writeStepFiles`.
 *
 * @example
 * ```ts
 * const { argv, files } = preparePythonStep(impl, request, layout, localInputs, { python: '/usr/bin/python3' });
 * // argv: ['/usr/bin/python3', '-u', '.../kiln_shim.py', '/work/kiln-shim-spec.json']
 * ```
 */
export function preparePythonStep(
  impl: PythonImpl,
  request: LaunchRequest,
  layout: WorkLayout,
  localInputs: LocalInputs,
  options: PythonStepOptions,
): StepCommand {
  const { component } = request;
  const setup = options.setup ?? 'host';
  const params: Record<string, { type: ParamType; value: JsonValue }> = {};
  const inputArtifacts: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(component.inputs)) {
    if (spec.kind === 'param') {
      const value = paramValue(component, request, name);
      // An absent optional input is not passed, so the function's own default applies.
      if (value !== undefined) params[name] = { type: spec.type, value };
      continue;
    }
    const given = request.inputs.artifacts[name];
    const local = localInputs[name];
    if (given === undefined || local === undefined) continue;
    inputArtifacts[name] = Array.isArray(given)
      ? given.map((a, i) => ({
          type: a.type,
          uri: a.uri,
          metadata: a.metadata,
          path: Array.isArray(local) ? local[i] : local,
        }))
      : { type: given.type, uri: given.uri, metadata: given.metadata, path: local };
  }
  const outputArtifacts = Object.fromEntries(
    Object.entries(request.outputs.artifacts).map(([name, out]) => [
      name,
      { type: out.type, uri: out.uri, path: layout.outputArtifact(name, out.uri), metadata: {} },
    ]),
  );
  const spec = {
    sourceFile: layout.componentSourceFile,
    entrypoint: impl.entrypoint,
    params,
    inputArtifacts,
    outputArtifacts,
    outputParams: request.outputs.params,
    resultFile: layout.shimResultFile,
    // For kiln.dsl.context() and KFP's identity placeholders as parameter defaults.
    ...(request.identity && { identity: request.identity }),
    ...(setup === 'work-dir' &&
      impl.packages.length > 0 && {
        install: { packages: impl.packages, envDir: layout.pythonEnvDir, failureFile: layout.shimFailureFile },
      }),
  };
  const shim = setup === 'work-dir' ? layout.shimCopyFile : pythonShimPath();
  return {
    argv: [options.python, '-u', shim, layout.shimSpecFile],
    files: [
      { path: layout.componentSourceFile, content: impl.source },
      { path: layout.shimSpecFile, content: JSON.stringify(spec, null, 2) },
      ...(setup === 'work-dir' ? [{ path: layout.shimCopyFile, copyOf: pythonShimPath() }] : []),
    ],
  };
}

/** Reads and checks the shim's answer after a zero exit. */
export async function readShimResult(request: LaunchRequest, layout: WorkLayout): Promise<ShimResult> {
  let raw: ShimResult;
  try {
    raw = JSON.parse(await readFile(layout.shimResultFile, 'utf8')) as ShimResult;
  } catch (error) {
    throw new LaunchError(
      'user',
      'MissingShimResult',
      `the Python shim exited 0 but left no readable result: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const params: Record<string, JsonValue> = {};
  for (const [name, type] of Object.entries(request.outputs.params)) {
    if (!(name in raw.params)) {
      throw new LaunchError(
        'user',
        'MissingOutputParam',
        `the function did not return output parameter "${name}" (return a dict with that key)`,
      );
    }
    params[name] = checkParamValue(name, type, raw.params[name]);
  }
  return { params, artifacts: raw.artifacts ?? {} };
}
