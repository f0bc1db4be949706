/**
 * The shipped JavaScript, measured from the built UI (apps/ui/dist): gzip
 * (level 9) of every .js file, and of the initial set, the scripts index.html
 * loads (its module script and modulepreload links). The budget is the one the
 * build enforces (apps/ui/build/bundle-budget.ts), read from the
 * `bundle-sizes.json` the build writes, so there is one set of numbers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';

const builtSizesSchema = z.object({
  budget: z.object({ initialGzipBytes: z.number(), totalGzipBytes: z.number() }),
  initialGzipBytes: z.number(),
  totalGzipBytes: z.number(),
});

export interface JsSizes {
  readonly files: { readonly path: string; readonly bytes: number; readonly gzipBytes: number }[];
  readonly totalGzipBytes: number;
  readonly initialGzipBytes: number;
  readonly initialFiles: string[];
  /** What the build measured itself (bundle-sizes.json), to cross-check. */
  readonly build: z.infer<typeof builtSizesSchema>;
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

/** The files under dist that index.html loads as scripts (`/ui/assets/x.js` → `assets/x.js`). */
function initialScripts(indexHtml: string): string[] {
  const tags = indexHtml.match(/<(script|link)\b[^>]*>/g) ?? [];
  return tags
    .filter((tag) => tag.startsWith('<script') || /rel="modulepreload"/.test(tag))
    .map((tag) => /(?:src|href)="\/ui\/([^"]+\.js)"/.exec(tag)?.[1])
    .filter((path): path is string => path !== undefined);
}

/**
 * @example
 * ```ts
 * const sizes = measureJs(join(workspaceRoot(), 'apps/ui/dist'));
 * sizes.totalGzipBytes <= sizes.build.budget.totalGzipBytes;
 * ```
 */
export function measureJs(dist: string): JsSizes {
  const index = join(dist, 'index.html');
  const recorded = join(dist, 'bundle-sizes.json');
  if (!existsSync(index) || !existsSync(recorded))
    throw new Error(`${dist} has no build (index.html, bundle-sizes.json): run \`npx nx run ui:build\` first`);
  const files = jsFiles(dist).map((path) => {
    const source = readFileSync(path);
    return { path: relative(dist, path), bytes: source.length, gzipBytes: gzipSync(source, { level: 9 }).length };
  });
  const initialFiles = initialScripts(readFileSync(index, 'utf8'));
  const gzipOf = (path: string) => files.find((file) => file.path === path)?.gzipBytes ?? 0;
  return {
    files,
    totalGzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
    initialGzipBytes: initialFiles.reduce((sum, path) => sum + gzipOf(path), 0),
    initialFiles,
    build: builtSizesSchema.parse(JSON.parse(readFileSync(recorded, 'utf8'))),
  };
}

/** What is over the budget, if anything. */
export function overBudget(sizes: JsSizes): string[] {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const { budget } = sizes.build;
  const problems: string[] = [];
  if (sizes.totalGzipBytes > budget.totalGzipBytes)
    problems.push(`all JS ${kib(sizes.totalGzipBytes)} gzip > budget ${kib(budget.totalGzipBytes)}`);
  if (sizes.initialGzipBytes > budget.initialGzipBytes)
    problems.push(`initial JS ${kib(sizes.initialGzipBytes)} gzip > budget ${kib(budget.initialGzipBytes)}`);
  return problems;
}
