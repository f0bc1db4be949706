/**
 * The same run in the Temporal web UI, for comparison: its event history
 * (what the Temporal UI shows of a run), its Queries tab answering the `status`
 * query (the run's status document as JSON, the closest thing it has to Kiln's
 * run page), and its workflow list (the closest thing to Kiln's runs list).
 */
import type { Page } from 'playwright-core';
import type { BenchBrowser } from './browser';
import { probedPage, readProbe } from './page-probe';

export interface TemporalPageTiming {
  /** Navigation → the awaited element shown; undefined when it never was within the timeout. */
  readonly shownMs?: number;
  readonly rows?: number;
  readonly longTasksMs: number[];
  readonly error?: string;
}

async function timed(
  browser: BenchBrowser,
  url: string,
  ready: (page: Page) => Promise<void>,
  rows: (page: Page) => Promise<number>,
): Promise<TemporalPageTiming> {
  const page = await probedPage(browser.context);
  try {
    const started = Date.now();
    await page.goto(url);
    await ready(page);
    const shownMs = Date.now() - started;
    const probe = await readProbe(page);
    return { shownMs, rows: await rows(page), longTasksMs: probe.longTasks.map((task) => task.duration) };
  } catch (error) {
    return { longTasksMs: [], error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  } finally {
    await page.close();
  }
}

/** A list page timed from navigation to its first `rowSelector` row shown; `rows` is how many rows it then had. */
function timedRows(browser: BenchBrowser, url: string, rowSelector: string): Promise<TemporalPageTiming> {
  return timed(
    browser,
    url,
    (page) => page.locator(rowSelector).first().waitFor({ timeout: 60_000 }),
    (page) => page.locator(rowSelector).count(),
  );
}

const workflowUrl = (ui: string, namespace: string, workflowId: string, runId: string) =>
  `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}`;

/**
 * The Event History tab: navigation → its first event rows.
 *
 * @example
 * ```ts
 * const timing = await temporalHistory(browser, temporal.ui, 'default', runId, run.temporal.runId);
 * ```
 */
export function temporalHistory(
  browser: BenchBrowser,
  ui: string,
  namespace: string,
  workflowId: string,
  runId: string,
): Promise<TemporalPageTiming> {
  const url = `${workflowUrl(ui, namespace, workflowId, runId)}/history`;
  return timedRows(browser, url, '[data-testid="event-summary-row"]');
}

/** The Queries tab: navigation → "Run Query" (the `status` query, its first) → the answer (the status document's JSON) shown. */
export function temporalStatusQuery(
  browser: BenchBrowser,
  ui: string,
  namespace: string,
  workflowId: string,
  runId: string,
): Promise<TemporalPageTiming> {
  return timed(
    browser,
    `${workflowUrl(ui, namespace, workflowId, runId)}/query`,
    async (page) => {
      // The tab lists the workflow's query types (asking the worker), `status` first; its answer comes on "Run Query".
      await page.getByRole('button', { name: 'Run Query' }).click({ timeout: 60_000 });
      await page.getByText('workflowId').first().waitFor({ timeout: 60_000 });
    },
    async () => 0,
  );
}

/** The workflow list filtered to one pipeline (Kiln's search attribute): navigation → its first rows. */
export function temporalWorkflowList(
  browser: BenchBrowser,
  ui: string,
  namespace: string,
  pipeline: string,
): Promise<TemporalPageTiming> {
  const query = encodeURIComponent(`KilnPipelineName="${pipeline}"`);
  const url = `${ui}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${query}`;
  return timedRows(browser, url, '[data-testid="workflows-summary-configurable-table-row"]');
}
