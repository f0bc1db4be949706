/**
 * Builds the web UI into apps/ui/dist, served under `/ui/` from the API's origin.
 * The `@kiln/*` libraries are read from source through tsconfig.base.json's paths;
 * the build fails over the JS budget (build/bundle-budget.ts) and writes the CSP
 * (src/security/csp.ts) into index.html.
 */
import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { z } from 'zod';
import { budget, bundleBudget } from './build/bundle-budget.ts';
import { metaContentSecurityPolicy } from './src/security/csp.ts';

const here = dirname(fileURLToPath(import.meta.url));
const workspace = join(here, '..', '..');

const tsconfigPaths = z.object({ compilerOptions: z.object({ paths: z.record(z.string(), z.array(z.string())) }) });

function workspaceAliases(): { find: RegExp; replacement: string }[] {
  const { compilerOptions } = tsconfigPaths.parse(
    JSON.parse(readFileSync(join(workspace, 'tsconfig.base.json'), 'utf8')),
  );
  return Object.entries(compilerOptions.paths).map(([alias, [target]]) => ({
    find: new RegExp(`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
    replacement: join(workspace, target ?? ''),
  }));
}

/** The CSP as a meta tag, first in <head>, so it holds even where no header is sent. */
function cspMeta(): Plugin {
  return {
    name: 'kiln-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  root: here,
  base: '/ui/',
  resolve: { alias: workspaceAliases() },
  plugins: [react(), cspMeta(), bundleBudget(budget)],
  build: {
    outDir: join(here, 'dist'),
    emptyOutDir: true,
    // No inline polyfill script; every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    // Assets as files, never inlined data: URLs of scripts.
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: false,
    // Raw chunk sizes are not the measure: the gzip budget (build/bundle-budget.ts) is.
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      // Modules run in import order even across chunks: src/security/zod-jitless.ts must run
      // before any zod schema is built, or zod probes `new Function` (a CSP violation).
      output: { strictExecutionOrder: true },
    },
  },
  worker: { format: 'es' },
});
