/**
 * Prebuilds the workflow bundle so workers start in a second instead of
 * bundling at every start (Temporal's production advice).
 *
 *   node --import tsx apps/worker/src/build-bundle.ts [out.js]    # default dist/kiln-workflows.js
 *   KILN_WORKFLOW_BUNDLE=dist/kiln-workflows.js node --import tsx apps/worker/src/main.ts
 *
 * Rebuild whenever libs/engine changes: a worker replaying histories with a
 * different bundle than the one that wrote them needs `patched()` guards.
 */
import { kilnWorkflowBundle } from '@kiln/engine-worker';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'dist/kiln-workflows.js');
const bundle = await kilnWorkflowBundle();
await mkdir(dirname(out), { recursive: true });
await writeFile(out, bundle.code);
process.stdout.write(`wrote ${out} (${Math.round(bundle.code.length / 1024)} KiB)\n`);
