/**
 * What the bench reads from inside a page: long tasks (PerformanceObserver
 * 'longtask', main-thread tasks over 50 ms) and input latency (from a
 * pointerdown to the frame after its handlers ran: requestAnimationFrame, then
 * a task, the usual stand-in for "next paint"). Installed before any page
 * script by the browser (not an inline script, so the UI's CSP allows it).
 */
import type { BrowserContext, Page } from 'playwright-core';

interface ProbeState {
  longTasks: { start: number; duration: number }[];
  inputLatencies: number[];
}

declare global {
  interface Window {
    __kilnBench?: ProbeState;
  }
}

export interface ProbeReading {
  readonly longTasks: { start: number; duration: number }[];
  readonly inputLatencies: number[];
}

function installProbe(): void {
  const state: ProbeState = { longTasks: [], inputLatencies: [] };
  window.__kilnBench = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener(
    'pointerdown',
    (event) => {
      const at = event.timeStamp;
      requestAnimationFrame(() => setTimeout(() => state.inputLatencies.push(performance.now() - at), 0));
    },
    true,
  );
}

/**
 * A new page with the probe installed and, for Kiln's UI, the API token in sessionStorage (as sign-in leaves it).
 *
 * @example
 * ```ts
 * const page = await probedPage(browser.context, dev.token);
 * ```
 */
export async function probedPage(context: BrowserContext, kilnToken?: string): Promise<Page> {
  const page = await context.newPage();
  await page.addInitScript(installProbe);
  if (kilnToken)
    await page.addInitScript((token) => {
      if (window.self === window.top) sessionStorage.setItem('kiln.apiToken', token);
    }, kilnToken);
  return page;
}

/** The probe's readings so far; `since` (page time, ms) drops long tasks that started before it. */
export async function readProbe(page: Page, since = 0): Promise<ProbeReading> {
  return page.evaluate((from) => {
    const state = window.__kilnBench ?? { longTasks: [], inputLatencies: [] };
    return {
      longTasks: state.longTasks.filter((task) => task.start >= from),
      inputLatencies: [...state.inputLatencies],
    };
  }, since);
}

/** The page's clock (performance.now()), to mark the start of a window for {@link readProbe}. */
export async function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}
