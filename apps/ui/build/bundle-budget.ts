/**
 * The shipped-JavaScript budget, checked by the build: `vite build` fails when
 * the gzip size of the JS the first page load needs, or of all JS shipped, is
 * over its limit. The numbers and why they are what they are: apps/ui/README.md.
 */
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface Budget {
  /** gzip bytes of the entry chunk and every chunk it imports statically: what the first page load runs. */
  readonly initialGzipBytes: number;
  /** gzip bytes of every JS file shipped: lazy chunks and ELK's layout worker included. */
  readonly totalGzipBytes: number;
}

export const budget: Budget = { initialGzipBytes: 180 * 1024, totalGzipBytes: 760 * 1024 };

export interface BundleSizes {
  /** The limits the build checked against, so tools reading the file (tools/bench/ui) compare with the same. */
  readonly budget: Budget;
  readonly initialGzipBytes: number;
  readonly totalGzipBytes: number;
  readonly files: Readonly<Record<string, { bytes: number; gzipBytes: number; initial: boolean }>>;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Sizes of a finished bundle's JS; the budget problems, if any. */
export function checkBudget(sizes: BundleSizes, limits: Budget): string[] {
  const problems: string[] = [];
  if (sizes.initialGzipBytes > limits.initialGzipBytes)
    problems.push(
      `initial JS is ${kib(sizes.initialGzipBytes)} gzip, over its budget of ${kib(limits.initialGzipBytes)}`,
    );
  if (sizes.totalGzipBytes > limits.totalGzipBytes)
    problems.push(`all JS is ${kib(sizes.totalGzipBytes)} gzip, over its budget of ${kib(limits.totalGzipBytes)}`);
  return problems;
}

/**
 * Measures the bundle's JS, writes `bundle-sizes.json` next to it and fails the build over budget.
 *
 * @example
 * ```ts
 * export default defineConfig({ plugins: [react(), bundleBudget(budget)] });
 * ```
 */
export function bundleBudget(limits: Budget): Plugin {
  return {
    name: 'kiln-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = bundle[fileName];
        if (!chunk || chunk.type !== 'chunk' || initial.has(fileName)) return;
        initial.add(fileName);
        chunk.imports.forEach(visit);
      };
      for (const output of Object.values(bundle)) if (output.type === 'chunk' && output.isEntry) visit(output.fileName);
      const files: Record<string, { bytes: number; gzipBytes: number; initial: boolean }> = {};
      let initialGzipBytes = 0;
      let totalGzipBytes = 0;
      for (const output of Object.values(bundle)) {
        if (!output.fileName.endsWith('.js')) continue;
        const source = output.type === 'chunk' ? output.code : output.source;
        const bytes = Buffer.byteLength(source);
        const gzipBytes = gzipSync(source, { level: 9 }).length;
        const isInitial = initial.has(output.fileName);
        files[output.fileName] = { bytes, gzipBytes, initial: isInitial };
        totalGzipBytes += gzipBytes;
        if (isInitial) initialGzipBytes += gzipBytes;
      }
      const sizes: BundleSizes = { budget: limits, initialGzipBytes, totalGzipBytes, files };
      this.emitFile({ type: 'asset', fileName: 'bundle-sizes.json', source: JSON.stringify(sizes, null, 2) });
      this.info(
        `JS gzip: initial ${kib(initialGzipBytes)} of ${kib(limits.initialGzipBytes)}, all ${kib(totalGzipBytes)} of ${kib(limits.totalGzipBytes)}`,
      );
      const problems = checkBudget(sizes, limits);
      if (problems.length) this.error(`JavaScript budget exceeded: ${problems.join('; ')} (see apps/ui/README.md)`);
    },
  };
}
