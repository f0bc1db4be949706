/**
 * The init container's half of the launcher protocol: read the staged request,
 * download the input artifacts into the pod's work folder, create the output
 * folders and write the parameter files the command reads. The command itself
 * was resolved by the worker (see `pod-spec.ts`) against the same layout, so the
 * paths in its arguments are exactly the ones filled here.
 *
 * This belongs in `@kiln/launcher` (a `fetch` phase split out of `runStep`);
 * it lives here until the launcher exposes one.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { locate, type ArtifactStore } from '@kiln/artifacts';
import { LaunchError, resolveCommand, WorkLayout, type LaunchArtifact, type LaunchRequest, type LocalInputs } from '@kiln/launcher';

export interface FetchOptions {
  store: ArtifactStore;
  requestKey: string;
  workDir: string;
  say?: (line: string) => void;
}

/**
 * Prepares the work folder for the main container.
 *
 * @example
 * ```ts
 * await fetchInputs({ store: openStore(url), requestKey: 'executions/…/pod-request.json', workDir: '/kiln/work' });
 * ```
 */
export async function fetchInputs(options: FetchOptions): Promise<LaunchRequest> {
  const { store } = options;
  const say = options.say ?? (() => undefined);
  const request = await store.readJson<LaunchRequest>(options.requestKey);
  const impl = request.component.implementation;
  if (impl.type !== 'container') {
    throw new LaunchError('configuration', 'NotRunnableInPod', `component "${request.component.name}" has a ${impl.type} implementation; pods run container components`);
  }
  const layout = new WorkLayout(options.workDir);
  await mkdir(layout.root, { recursive: true });

  const local: LocalInputs = {};
  const fetchOne = async (name: string, artifact: LaunchArtifact, index?: number): Promise<string> => {
    const path = layout.inputArtifact(name, artifact.uri, index);
    const { store: source, key } = locate(artifact.uri, store);
    const stat = await source.getToPath(key, path);
    say(`input ${name}${index === undefined ? '' : `[${index}]`}: ${artifact.uri} (${stat.size} bytes, ${stat.digest})`);
    return path;
  };
  for (const [name, given] of Object.entries(request.inputs.artifacts)) {
    local[name] = Array.isArray(given) ? await Promise.all(given.map((a, i) => fetchOne(name, a, i))) : await fetchOne(name, given);
  }
  // Commands write to these paths without creating folders first (KFP does the same).
  const outputDirs = [
    ...Object.entries(request.outputs.artifacts).flatMap(([name, out]) => [dirname(layout.outputArtifact(name, out.uri)), dirname(layout.outputMetadataFile(name))]),
    ...Object.keys(request.outputs.params).map((name) => dirname(layout.outputParamFile(name))),
  ];
  for (const dir of outputDirs) await mkdir(dir, { recursive: true });
  // The user's image may run as any uid, and this container runs as another: open the folders main writes to.
  await openUp(layout.root, outputDirs);

  const { paramFiles } = resolveCommand([...impl.command, ...(impl.args ?? [])], { request, layout, localInputs: local });
  for (const [path, content] of paramFiles) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  say(`work folder ready: ${Object.keys(local).length} input artifact(s), ${paramFiles.size} parameter file(s)`);
  return request;
}

/** chmod 0777 the work root and every folder from it down to each of `dirs`. */
async function openUp(root: string, dirs: string[]): Promise<void> {
  const all = new Set<string>([root]);
  for (const dir of dirs) {
    const parts = relative(root, dir).split(sep).filter(Boolean);
    for (let i = 1; i <= parts.length; i++) all.add([root, ...parts.slice(0, i)].join(sep));
  }
  for (const dir of all) await chmod(dir, 0o777);
}
