/**
 * The runs list with many runs: creating them (through the API, concurrently,
 * within a time budget), then in Chromium the first page and the next page of
 * the list filtered to their pipeline, with the API requests each page made
 * (from the browser's network log): one `GET /runs` per page shown.
 */
import type { BenchBrowser } from './browser';
import { startRun } from './api';
import type { KilnDev } from './kiln-dev';
import { probedPage, readProbe } from './page-probe';

export interface RunsCreated {
  readonly requested: number;
  readonly created: number;
  /** Starts the API refused or that failed (the first error is kept). */
  readonly failed: number;
  readonly firstError?: string;
  readonly seconds: number;
  readonly concurrency: number;
}

/**
 * Starts up to `count` runs of `pipeline`, `concurrency` at a time, stopping early once `budgetSeconds` have passed.
 *
 * @example
 * ```ts
 * const created = await createRuns(dev, 'bench-ui-idle', 10_000, 32, 300);
 * ```
 */
export async function createRuns(
  dev: KilnDev,
  pipeline: string,
  count: number,
  concurrency: number,
  budgetSeconds: number,
): Promise<RunsCreated> {
  const started = Date.now();
  const deadline = started + budgetSeconds * 1000;
  let next = 0;
  let created = 0;
  let failed = 0;
  let firstError: string | undefined;
  const lane = async () => {
    while (next < count && Date.now() < deadline) {
      next++;
      try {
        await startRun(dev, pipeline);
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
        continue;
      }
      created++;
      if (created % 1000 === 0)
        console.error(`runs list: ${created} runs started (${(Date.now() - started) / 1000} s)`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (Date.now() - started) / 1000;
  return { requested: count, created, failed, ...(firstError ? { firstError } : {}), seconds, concurrency };
}

export interface RunsListTiming {
  /** Navigation → the first page's rows. */
  readonly firstPageMs: number;
  /** "Next page" clicked → the second page's rows. */
  readonly nextPageMs: number;
  readonly rowsFirst: number;
  readonly rowsNext: number;
  /** `GET /runs` requests the browser made for the first page, and for the next one. */
  readonly requestsFirst: number;
  readonly requestsNext: number;
  /** Runs in all the list responses the page received (≤ 2 pages' worth when nothing loads everything). */
  readonly runsReceived: number;
  readonly longTasksMs: number[];
}

/** Opens `/ui/runs?pipeline=…` in a fresh page, then its next page; times both and counts the list requests. */
export async function measureRunsList(browser: BenchBrowser, dev: KilnDev, pipeline: string): Promise<RunsListTiming> {
  const page = await probedPage(browser.context, dev.token);
  const listRequests: string[] = [];
  let runsReceived = 0;
  const apiOrigin = new URL(dev.apiUrl).origin;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === apiOrigin && url.pathname === '/runs') listRequests.push(url.search);
  });
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (url.origin !== apiOrigin || url.pathname !== '/runs') return;
    const body = (await response.json().catch(() => ({}))) as { runs?: unknown[] };
    runsReceived += body.runs?.length ?? 0;
  });
  try {
    const rows = page.locator('table.runs tbody tr');
    const started = Date.now();
    await page.goto(`${dev.uiUrl}runs?pipeline=${encodeURIComponent(pipeline)}`);
    await rows.first().waitFor({ timeout: 60_000 });
    const firstPageMs = Date.now() - started;
    const rowsFirst = await rows.count();
    const requestsFirst = listRequests.length;
    const firstRow = await rows.first().innerText();
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Page 2').waitFor({ timeout: 60_000 });
    await rows.first().filter({ hasNotText: firstRow }).waitFor({ timeout: 60_000 });
    const nextPageMs = Date.now() - clicked;
    const probe = await readProbe(page);
    return {
      firstPageMs,
      nextPageMs,
      rowsFirst,
      rowsNext: await rows.count(),
      requestsFirst,
      requestsNext: listRequests.length - requestsFirst,
      runsReceived,
      longTasksMs: probe.longTasks.map((task) => task.duration),
    };
  } finally {
    await page.close();
  }
}
