/**
 * Writes the in-pod launcher for an image (deploy/launcher.Dockerfile): the loader at `--out`
 * (`kiln-pod-launcher.cjs`), the bundle beside it (`kiln-pod-launcher.bundle.cjs`) and the V8 code
 * cache a first run leaves (`kiln-pod-launcher.bundle.cjs.v8cache`; build with the image's Node, so
 * V8 accepts it):
 *
 *   node --import tsx libs/k8s-activities/src/in-pod/build-bundle.ts --out <file> --launcher-dir <dir>
 *
 * `--launcher-dir` is where the image keeps the launcher's `python/kiln_shim.py`
 * (the fetch phase copies it into the pod's work folder for python components).
 */
import { parseArgs } from 'node:util';
import { buildPodLauncherBundle } from './bundle';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'launcher-dir': { type: 'string' } } });
if (!values.out || !values['launcher-dir']) {
  process.stderr.write('usage: build-bundle.ts --out <file> --launcher-dir <dir holding python/kiln_shim.py>\n');
  process.exit(2);
}
const file = buildPodLauncherBundle({ outFile: values.out, launcherDir: values['launcher-dir'] });
process.stdout.write(`wrote ${file}\n`);
