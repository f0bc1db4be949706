/**
 * Phase 2 of a step: the command as an argv (placeholders resolved, never a
 * shell string) plus the files it reads from the work folder — parameter values
 * asked for by `inputPath`, a python component's source and shim spec.
 * Resolving touches nothing, so the worker that builds a pod and the init
 * container that fills the pod's work folder compute the same command from the
 * same request; {@link writeStepFiles} puts the files in place.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { configurationError } from '../errors';
import { kfpBootstrapOf, podBootstrapCommand } from '../kfp/bootstrap';
import type { WorkLayout } from '../layout';
import { resolveCommand, type LocalInputs } from '../placeholders';
import { preparePythonStep, type PythonSetup } from '../python/python-step';
import type { LaunchRequest } from '../request';

/** A file the command needs: given content, or a copy of a file the launcher ships. */
export type StepFile = { path: string; content: string } | { path: string; copyOf: string };

/** What to run, and what must be in the work folder before it runs. */
export interface StepCommand {
  argv: string[];
  files: StepFile[];
}

export interface ResolveOptions {
  /** Interpreter of python components: a path or a name on PATH. Default `python3`. */
  python?: string;
  /** Where a python component's shim and packages come from; see {@link PythonSetup}. Default `host`. */
  pythonSetup?: PythonSetup;
}

/**
 * The command of a container or python step, resolved against the work folder.
 *
 * @example
 * ```ts
 * const layout = new WorkLayout('/kiln/work');
 * const command = resolveStepCommand(request, layout, inputPaths(request, layout));
 * command.argv; // ['python', 'train.py', '--data', '/kiln/work/inputs/data/data.csv']
 * await writeStepFiles(command);
 * ```
 */
export function resolveStepCommand(
  request: LaunchRequest,
  layout: WorkLayout,
  localInputs: LocalInputs,
  options: ResolveOptions = {},
): StepCommand {
  const impl = request.component.implementation;
  if (impl.type === 'container') {
    const resolved = resolveCommand([...impl.command, ...(impl.args ?? [])], { request, layout, localInputs });
    // In a pod, KFP's pip-install bootstrap runs as written, but inside a virtualenv (see kfp/bootstrap.ts).
    const inPod = options.pythonSetup === 'work-dir' && kfpBootstrapOf(request.component) !== undefined;
    const argv = inPod ? podBootstrapCommand(layout, resolved.argv) : resolved.argv;
    return { argv, files: [...resolved.paramFiles].map(([path, content]) => ({ path, content })) };
  }
  if (impl.type === 'python') {
    return preparePythonStep(impl, request, layout, localInputs, {
      python: options.python ?? 'python3',
      setup: options.pythonSetup ?? 'host',
    });
  }
  throw configurationError(
    `component "${request.component.name}" has a ${impl.type} implementation, which the launcher does not run`,
    'NotRunnable',
  );
}

/**
 * Writes the files of a resolved command, creating their folders.
 *
 * @example
 * ```ts
 * await writeStepFiles(resolveStepCommand(request, layout, localInputs));
 * ```
 */
export async function writeStepFiles(command: StepCommand): Promise<void> {
  for (const file of command.files) {
    await mkdir(dirname(file.path), { recursive: true });
    if ('copyOf' in file) await copyFile(file.copyOf, file.path);
    else await writeFile(file.path, file.content);
  }
}
