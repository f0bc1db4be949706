/**
 * The contract runs in browsers (the web UI bundles it): bundled for the
 * browser with esbuild, it needs no Node built-in, and it pulls in only zod,
 * the IR's pure entry (with its YAML reader, plain JavaScript), the engine
 * contract's schemas and the store layout (the records the API serves).
 */
import { build } from 'esbuild';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');

test('it bundles for the browser from zod, @kiln/ir, @kiln/engine-contract/schemas and @kiln/store-layout alone', async () => {
  const result = await build({
    entryPoints: [join(__dirname, '..', 'src', 'index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
    tsconfig: join(root, 'tsconfig.base.json'),
  });
  expect(result.errors).toEqual([]);
  const folders = new Set(
    Object.keys(result.metafile.inputs).map((input) => {
      const path = relative(root, join(root, input));
      if (path.startsWith('node_modules/')) return path.split('/').slice(0, 2).join('/');
      return path
        .split('/')
        .slice(0, path.startsWith('libs/engine/') ? 5 : 3)
        .join('/');
    }),
  );
  expect([...folders].sort()).toEqual([
    'libs/api-contract/src',
    'libs/engine/contract/src/schemas',
    'libs/ir/src',
    'libs/store-layout/src',
    'node_modules/yaml',
    'node_modules/zod',
  ]);
});
