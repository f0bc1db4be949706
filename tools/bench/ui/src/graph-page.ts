/**
 * The pipeline version page of a big pipeline: navigation → the graph laid out
 * (ELK in its Web Worker, the page's own `kiln:graph-layout` measure) and drawn.
 */
import type { BenchBrowser } from './browser';
import type { KilnDev } from './kiln-dev';
import { probedPage, readProbe } from './page-probe';

export interface GraphTiming {
  /** Navigation → "N nodes laid out in … ms" shown with the nodes drawn. */
  readonly drawnMs: number;
  /** ELK's layout in the worker, as the page measured it (performance.measure 'kiln:graph-layout'). */
  readonly layoutMs: number;
  readonly nodesLaidOut: number;
  /** React Flow nodes in the DOM (only the visible ones are rendered). */
  readonly nodesInDom: number;
  readonly longTasksMs: number[];
}

/**
 * @example
 * ```ts
 * const timing = await measureGraph(browser, dev, 'bench-ui-wide-1000', '1');
 * ```
 */
export async function measureGraph(
  browser: BenchBrowser,
  dev: KilnDev,
  pipeline: string,
  version: string,
): Promise<GraphTiming> {
  const page = await probedPage(browser.context, dev.token);
  try {
    const started = Date.now();
    await page.goto(`${dev.uiUrl}pipelines/${encodeURIComponent(pipeline)}/versions/${encodeURIComponent(version)}`);
    const status = page.getByText(/^\d+ nodes laid out in \d+ ms$/);
    await status.waitFor({ timeout: 120_000 });
    await page.locator('.react-flow__node').first().waitFor();
    const drawnMs = Date.now() - started;
    const nodesLaidOut = Number(/^(\d+)/.exec(await status.innerText())?.[1] ?? -1);
    const layouts = await page.evaluate(() =>
      performance.getEntriesByName('kiln:graph-layout').map((entry) => entry.duration),
    );
    const probe = await readProbe(page);
    return {
      drawnMs,
      layoutMs: layouts[0] ?? -1,
      nodesLaidOut,
      nodesInDom: await page.locator('.react-flow__node').count(),
      longTasksMs: probe.longTasks.map((task) => task.duration),
    };
  } finally {
    await page.close();
  }
}
