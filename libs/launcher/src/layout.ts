/**
 * Where things go in the step's work folder on local disk. One place, so the
 * launcher, the Python shim and the executors agree. (The attempt's records in
 * the store are keyed by `@kiln/store-layout`.)
 */
import { join, posix } from 'node:path';

/** The file name an artifact gets locally: the last segment of its URI, so tools that look at extensions still work. */
function fileName(uri: string): string {
  const last = posix.basename(uri.replace(/\/+$/, ''));
  return last === '' ? 'data' : decodeURIComponent(last);
}

/** Local paths inside a step's work folder. */
export class WorkLayout {
  constructor(readonly root: string) {}

  get logFile(): string {
    return join(this.root, 'step.log');
  }
  inputArtifact(name: string, uri: string, index?: number): string {
    return index === undefined
      ? join(this.root, 'inputs', name, fileName(uri))
      : join(this.root, 'inputs', name, String(index), fileName(uri));
  }
  /** A parameter written to a file, for `inputPath` on a parameter input. */
  inputParamFile(name: string): string {
    return join(this.root, 'inputs', '_params', name);
  }
  outputArtifact(name: string, uri: string): string {
    return join(this.root, 'outputs', name, fileName(uri));
  }
  outputParamFile(name: string): string {
    return join(this.root, 'outputs', '_params', name);
  }
  /** A JSON object the command may write to add metadata to an output artifact (`outputMetadata`). */
  outputMetadataFile(name: string): string {
    return join(this.root, 'outputs', '_metadata', `${name}.json`);
  }
  /** A python component's source, as the shim loads it. */
  get componentSourceFile(): string {
    return join(this.root, 'component.py');
  }
  /** The Python shim's instructions and its answer. */
  get shimSpecFile(): string {
    return join(this.root, 'kiln-shim-spec.json');
  }
  get shimResultFile(): string {
    return join(this.root, 'kiln-shim-result.json');
  }
  /** Where the shim says why it could not call the function (a failed `pip install`), as a `LaunchFailure`. */
  get shimFailureFile(): string {
    return join(this.root, 'kiln-shim-failure.json');
  }
  /** A copy of the shim, for a command that sees only the work folder (a pod's main container). */
  get shimCopyFile(): string {
    return join(this.root, 'kiln_shim.py');
  }
  /** The virtualenv the shim installs a component's packages into when they are installed at start. */
  get pythonEnvDir(): string {
    return join(this.root, '.kiln-python');
  }
}
