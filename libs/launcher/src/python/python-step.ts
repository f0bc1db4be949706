/**
 * Turning a python component into a command: the interpreter (a cached venv
 * when it has packages), the shim, and a spec file telling the shim what to call
 * with what; then reading the shim's answer back.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonValue, ParamType } from '@kiln/ir';
import { LaunchError } from '../errors';
import type { WorkLayout } from '../layout';
import { checkParamValue } from '../param-values';
import { paramValue, type LocalInputs } from '../placeholders';
import { pythonShimPath } from '../paths';
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
 * Writes the component source and the shim spec into the work folder and
 * returns the argv to run.
 *
 * @example
 * ```ts
 * const argv = await preparePythonStep(impl, request, layout, localInputs, '/usr/bin/python3');
 * // ['/usr/bin/python3', '-u', '.../kiln_shim.py', '/work/kiln-shim-spec.json']
 * ```
 */
export async function preparePythonStep(
  impl: PythonImpl,
  request: LaunchRequest,
  layout: WorkLayout,
  localInputs: LocalInputs,
  python: string,
): Promise<string[]> {
  const { component } = request;
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
      ? given.map((a, i) => ({ type: a.type, uri: a.uri, metadata: a.metadata, path: (local as string[])[i] }))
      : { type: given.type, uri: given.uri, metadata: given.metadata, path: local };
  }
  const outputArtifacts = Object.fromEntries(
    Object.entries(request.outputs.artifacts).map(([name, out]) => [
      name,
      { type: out.type, uri: out.uri, path: layout.outputArtifact(name, out.uri), metadata: {} },
    ]),
  );
  const sourceFile = join(layout.root, 'component.py');
  await writeFile(sourceFile, impl.source);
  const spec = {
    sourceFile,
    entrypoint: impl.entrypoint,
    params,
    inputArtifacts,
    outputArtifacts,
    outputParams: request.outputs.params,
    resultFile: layout.shimResultFile,
  };
  await writeFile(layout.shimSpecFile, JSON.stringify(spec, null, 2));
  return [python, '-u', pythonShimPath(), layout.shimSpecFile];
}

/** Reads and checks the shim's answer after a zero exit. */
export async function readShimResult(request: LaunchRequest, layout: WorkLayout): Promise<ShimResult> {
  let raw: ShimResult;
  try {
    raw = JSON.parse(await readFile(layout.shimResultFile, 'utf8')) as ShimResult;
  } catch (error) {
    throw new LaunchError('user', 'MissingShimResult', `the Python shim exited 0 but left no readable result: ${(error as Error).message}`, { cause: error });
  }
  const params: Record<string, JsonValue> = {};
  for (const [name, type] of Object.entries(request.outputs.params)) {
    if (!(name in raw.params)) {
      throw new LaunchError('user', 'MissingOutputParam', `the function did not return output parameter "${name}" (return a dict with that key)`);
    }
    params[name] = checkParamValue(name, type, raw.params[name]);
  }
  return { params, artifacts: raw.artifacts ?? {} };
}
