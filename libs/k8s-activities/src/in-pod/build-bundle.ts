/**
 * Writes the in-pod launcher for an image (deploy/launcher.Dockerfile): the loader at `--out`
 * (`kiln-pod-launcher.cjs`), the light bundle beside it (`kiln-pod-launcher.bundle.cjs`), the heavy
 * half's loader and bundle (`kiln-pod-launcher.heavy.cjs`, `kiln-pod-launcher.heavy.bundle.cjs`;
 * loaded only by a step that needs them) and the V8 code cache of each that a first run leaves
 * (`*.bundle.cjs.v8cache`; build with the image's Node, so V8 accepts them):
 *
 *   node --import tsx libs/k8s-activities/src/in-pod/build-bundle.ts --out <file> --launcher-dir <dir> [--eager]
 *
 * `--launcher-dir` is where the image keeps the launcher's `python/kiln_shim.py`
 * (the fetch phase copies it into the pod's work folder for python components).
 * `--eager` writes the one eager bundle of before instead (the loader and `.bundle.cjs` only).
 */
import { parseArgs } from 'node:util';
import { buildPodLauncherBundle } from './bundle';

const { values } = parseArgs({
  options: { out: { type: 'string' }, 'launcher-dir': { type: 'string' }, eager: { type: 'boolean', default: false } },
});
if (!values.out || !values['launcher-dir']) {
  process.stderr.write(
    'usage: build-bundle.ts --out <file> --launcher-dir <dir holding python/kiln_shim.py> [--eager]\n',
  );
  process.exit(2);
}
const file = buildPodLauncherBundle({ outFile: values.out, launcherDir: values['launcher-dir'], light: !values.eager });
process.stdout.write(`wrote ${file}\n`);
