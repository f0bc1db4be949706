/**
 * The run page of a run with a big loop, in Chromium: how long from navigation
 * until the graph shows the loop node with its per-state counts, and until the
 * page has answered a click on that node with the iterations panel; then, over
 * a window while the run goes on, long tasks and the latency of repeated clicks.
 */
import type { Locator, Page } from 'playwright-core';
import type { BenchBrowser } from './browser';
import type { KilnDev } from './kiln-dev';
import { pageNow, probedPage, readProbe } from './page-probe';

export interface RunPageOpen {
  /** Navigation → the loop node shows per-state counts. */
  readonly graphShownMs: number;
  /** Navigation → a click on the loop node answered by its iterations panel (counts and a page of iterations). */
  readonly interactiveMs: number;
  /** That click → the panel. */
  readonly clickToPanelMs: number;
  /** The loop node's counts line when the graph was first shown. */
  readonly countsShown: string;
  /** Long tasks on the main thread from navigation to interactive. */
  readonly longTasksMs: number[];
}

export interface RunPageWatch {
  readonly seconds: number;
  readonly clicks: number;
  /** Each click → the panel of the clicked node shown (Playwright's clock). */
  readonly clickToPanelMs: number[];
  /** Each pointerdown → the next frame (the page's clock). */
  readonly inputLatencyMs: number[];
  readonly longTasksMs: number[];
  readonly countsBefore: string;
  readonly countsAfter: string;
}

const countsPattern = /\d[\d,]* (done|running|pending|failed)/;

export const graphNode = (page: Page, id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);

async function clickAndWaitForPanel(page: Page, nodeId: string, loop: boolean): Promise<number> {
  const started = Date.now();
  await graphNode(page, nodeId).locator('.node-title, .container-header').first().click();
  const panel = page.getByRole('complementary', { name: `Selected: ${nodeId}` });
  await (loop ? panel.locator('nav[aria-label="Pages of iterations"]') : panel).waitFor({ timeout: 60_000 });
  return Date.now() - started;
}

/**
 * Opens the run page in a fresh page and times it; the page stays open for {@link watchRunPage}.
 *
 * @example
 * ```ts
 * const { page, open } = await openRunPage(browser, dev, runId, 'fan');
 * ```
 */
export async function openRunPage(
  browser: BenchBrowser,
  dev: KilnDev,
  runId: string,
  loopId: string,
): Promise<{ page: Page; open: RunPageOpen }> {
  const page = await probedPage(browser.context, dev.token);
  const started = Date.now();
  await page.goto(`${dev.uiUrl}runs/${encodeURIComponent(runId)}`);
  const counts = graphNode(page, loopId).filter({ hasText: countsPattern }).first();
  await counts.waitFor({ timeout: 60_000 });
  const graphShownMs = Date.now() - started;
  const countsShown = await loopCounts(page, loopId);
  const clickToPanelMs = await clickAndWaitForPanel(page, loopId, true);
  const interactiveMs = Date.now() - started;
  const probe = await readProbe(page);
  return {
    page,
    open: {
      graphShownMs,
      interactiveMs,
      clickToPanelMs,
      countsShown,
      longTasksMs: probe.longTasks.map((task) => task.duration),
    },
  };
}

/** The loop node's counts line (`9,500 done · 40 running · …`). */
export async function loopCounts(page: Page, loopId: string): Promise<string> {
  const text = await graphNode(page, loopId).innerText();
  return text.split('\n').find((line) => countsPattern.test(line)) ?? text.replace(/\s+/g, ' ');
}

/**
 * For `seconds`, clicks the loop node and another node in turn (each answered by its panel) while the
 * run's events keep arriving, and reads the long tasks and input latencies of that window.
 */
export async function watchRunPage(
  page: Page,
  loopId: string,
  otherId: string,
  seconds: number,
): Promise<RunPageWatch> {
  const since = await pageNow(page);
  const before = (await readProbe(page)).inputLatencies.length;
  const countsBefore = await loopCounts(page, loopId);
  const clickToPanelMs: number[] = [];
  for (const end = Date.now() + seconds * 1000; Date.now() < end;) {
    const loop = clickToPanelMs.length % 2 === 1;
    clickToPanelMs.push(await clickAndWaitForPanel(page, loop ? loopId : otherId, loop));
    await page.waitForTimeout(500);
  }
  const probe = await readProbe(page, since);
  return {
    seconds,
    clicks: clickToPanelMs.length,
    clickToPanelMs,
    inputLatencyMs: probe.inputLatencies.slice(before),
    longTasksMs: probe.longTasks.map((task) => task.duration),
    countsBefore,
    countsAfter: await loopCounts(page, loopId),
  };
}
