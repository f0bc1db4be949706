/**
 * Outputs are published from the output folder only. A step may leave a symbolic link where its
 * output should be (or inside an output folder); publishing reads through links, so a link to
 * `/etc/passwd` would copy the host's file into the store, where any viewer downloads it. A link
 * that resolves inside the output's own folder is fine (tools make those); one that leads out of
 * it, or nowhere, fails the step as a user error and nothing of that output is published.
 */
import { lstat, readdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { LaunchError } from '../errors';

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Throws a user {@link LaunchError} (`OutputLinkOutsideFolder`) if `path`, or anything under it,
 * is a symbolic link that resolves outside `folder` (default: the folder holding `path`).
 *
 * @example
 * ```ts
 * await checkOutputLinks('/work/outputs/model/model.bin', 'output artifact "model"');
 * ```
 */
export async function checkOutputLinks(path: string, what: string, folder: string = dirname(path)): Promise<void> {
  const root = await realpath(folder);
  const seen = new Set<string>();
  const walk = async (entry: string): Promise<void> => {
    const info = await lstat(entry);
    let real = entry;
    if (info.isSymbolicLink()) {
      real = await realpath(entry).catch(() => '');
      if (real === '' || !isInside(real, root)) throw outputLinkError(what, entry, real, folder);
    }
    if (seen.has(real)) return;
    seen.add(real);
    if ((await lstat(real)).isDirectory()) {
      for (const name of await readdir(real)) await walk(join(real, name));
    }
  };
  await walk(path);
}

/**
 * The user failure of an output that is, or holds, a link (`entry`) out of its `folder`, to `target`
 * (`''`: to nowhere). Also built by the worker from the static launcher's report (apps/static-launcher).
 *
 * @example
 * ```ts
 * throw outputLinkError('output parameter "n"', '/w/outputs/_params/n', '/etc/passwd', '/w/outputs/_params');
 * ```
 */
export function outputLinkError(what: string, entry: string, target: string, folder: string): LaunchError {
  const shown = target === '' ? 'a path that does not exist' : target;
  return new LaunchError(
    'user',
    'OutputLinkOutsideFolder',
    `${what} is, or holds, a symbolic link (${entry}) to ${shown}, outside its output folder ${folder}: ` +
      'outputs are published from the output folder only, so nothing of it was published',
  );
}
