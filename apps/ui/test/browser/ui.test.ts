/**
 * The built UI in real Chromium, against the fixture API: sign-in, lists,
 * graphs, the 10,000-iteration loop, the 1,000-task layout, artifact previews,
 * comparison, schedules; hostile strings that must stay text; axe on every page.
 * Screenshots land in apps/ui/test/screenshots (gitignored).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { apiToken } from '../fixtures/api-fixtures';
import { hostile } from '../fixtures/hostile';
import {
  launchBrowser,
  pageVerdict,
  screenshotDir,
  seriousAccessibilityViolations,
  watchPage,
  type Browser,
  type PageIncidents,
} from './browser';
import { startFixtureServer, type FixtureServer } from './fixture-server';

const dist = join(__dirname, '..', '..', 'dist');
const timings: Record<string, number> = {};

let server: FixtureServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(dist, 'index.html')))
    throw new Error(`${dist} has no build: run \`npx nx run ui:build\` (the ui:test target builds first)`);
  mkdirSync(screenshotDir, { recursive: true });
  server = await startFixtureServer(dist);
  browser = await launchBrowser();
  console.log(`browser tests: ${browser.version}, fixture API at ${server.url}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  writeFileSync(join(screenshotDir, 'timings.json'), JSON.stringify(timings, null, 2));
});

/** A new page, signed in (the token in sessionStorage as the sign-in page leaves it), and watched. */
async function signedInPage(): Promise<{ page: Page; incidents: PageIncidents }> {
  const page = await browser.context.newPage();
  const incidents = await watchPage(page);
  // Top document only: sandboxed artifact frames have no storage (reading it throws there, by design).
  await page.addInitScript((token) => {
    if (window.self === window.top) sessionStorage.setItem('kiln.apiToken', token);
  }, apiToken);
  return { page, incidents };
}

/** Nothing ran that should not have, and axe finds no serious violation. */
async function expectCleanPage(page: Page, incidents: PageIncidents, screenshot: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${screenshot}.png`), fullPage: false });
  const verdict = await pageVerdict(page);
  expect(incidents.dialogs).toEqual([]);
  expect(incidents.pageErrors).toEqual([]);
  expect(verdict).toEqual({ cspViolations: [], pwned: undefined });
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

const graphNodes = (page: Page) => page.locator('.react-flow__node');
/** A graph node by its id (React Flow's `data-id`). */
const graphNode = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

test('a visitor without a token is sent to sign in, and the token then goes with every API request', async () => {
  const page = await browser.context.newPage();
  const incidents = await watchPage(page);
  await page.goto(`${server.url}/ui/runs?pipeline=training-pipeline`);
  await page.getByLabel('API token').waitFor();
  expect(new URL(page.url()).pathname).toBe('/ui/sign-in');
  await page.getByLabel('API token').fill('kiln_wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The API does not know this token.').waitFor();
  await expectCleanPage(page, incidents, 'sign-in');

  const before = server.requests.length;
  await page.getByLabel('API token').fill(apiToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Runs' }).waitFor();
  await page.locator('table.runs tbody tr').first().waitFor();
  expect(page.url()).toBe(`${server.url}/ui/runs?pipeline=training-pipeline`);
  expect(page.url()).not.toContain(apiToken);
  expect(await page.evaluate(() => sessionStorage.getItem('kiln.apiToken'))).toBe(apiToken);
  expect(await page.evaluate(() => localStorage.length + document.cookie.length)).toBe(0);
  const after = server.requests.slice(before);
  expect(after.length).toBeGreaterThan(0);
  expect(after.every((r) => r.authorized)).toBe(true);
  await page.close();
});

test('a token the API no longer knows is dropped, and sign-in leads back to the page', async () => {
  const page = await browser.context.newPage();
  const incidents = await watchPage(page);
  await page.addInitScript(() => {
    if (window.self === window.top && !sessionStorage.getItem('kiln.seen')) {
      sessionStorage.setItem('kiln.seen', '1');
      sessionStorage.setItem('kiln.apiToken', 'kiln_revoked');
    }
  });
  await page.goto(`${server.url}/ui/schedules`);
  await page.getByLabel('API token').waitFor();
  expect(new URL(page.url()).searchParams.get('next')).toBe('/schedules');
  expect(await page.evaluate(() => sessionStorage.getItem('kiln.apiToken'))).toBeNull();
  await page.getByLabel('API token').fill(apiToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Schedules' }).waitFor();
  expect(incidents.pageErrors).toEqual([]);
  await page.close();
});

test('the runs list filters through the API and pages by its page tokens', async () => {
  const { page, incidents } = await signedInPage();
  await page.goto(`${server.url}/ui/runs`);
  const rows = page.locator('table.runs tbody tr');
  await rows.first().waitFor();
  expect(await rows.count()).toBe(50);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2').waitFor();
  await page.getByText('kiln-training-pipeline-old-046').waitFor();
  await page.getByLabel('State').selectOption('RUNNING');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByText('kiln-showcase-01running').waitFor();
  expect(await rows.count()).toBe(1);
  expect(await page.getByRole('form', { name: 'Filter runs' }).count()).toBe(1);
  expect(server.requests.some((r) => r.path.includes('status=RUNNING'))).toBe(true);
  expect(server.requests.some((r) => r.path.includes('pageToken='))).toBe(true);
  // The time window goes to the API as startedAfter, an hour back from when it was applied.
  const before = Date.now();
  await page.getByLabel('Started').selectOption('1h');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/window=1h/);
  const sent = await (async () => {
    for (let i = 0; i < 50; i++) {
      const hit = server.requests.find((r) => r.path.includes('startedAfter='));
      if (hit) return new URL(hit.path, server.url).searchParams.get('startedAfter');
      await page.waitForTimeout(100);
    }
    return null;
  })();
  expect(Math.abs(Date.parse(sent ?? '') - (before - 3_600_000))).toBeLessThan(60_000);
  await expectCleanPage(page, incidents, 'runs');
  await page.close();
});

test('pipelines lead to versions and to the graph of the compiled training example', async () => {
  const { page, incidents } = await signedInPage();
  await page.goto(`${server.url}/ui/pipelines`);
  await page.getByRole('link', { name: 'training-pipeline' }).click();
  await page.getByRole('link', { name: '1.0.0' }).click();
  await page.locator('.react-flow__node').first().waitFor();
  expect(await graphNodes(page).count()).toBe(6);
  await page.getByText('if evaluate-model.accuracy >= $minAccuracy').waitFor();
  await graphNode(page, 'train-model').click();
  await page
    .getByRole('complementary', { name: 'Selected task' })
    .getByText('3 attempts, on infrastructure and user failures')
    .waitFor();
  await expectCleanPage(page, incidents, 'pipeline-training');
  await page.close();
});

test('a run of the training example is coloured by state, its skipped deploy branch marked not taken', async () => {
  const { page, incidents } = await signedInPage();
  await page.goto(`${server.url}/ui/runs/kiln-training-pipeline-01m8tr3v853xt797drv4`);
  await page.locator('.react-flow__node .kiln-task.state-succeeded').first().waitFor();
  expect(await page.locator('.kiln-task.state-succeeded').count()).toBe(3);
  expect(await page.locator('.kiln-task.state-skipped').count()).toBe(1);
  await page.locator('.branch-outcome.branch-not-taken').waitFor();
  await graphNode(page, 'evaluate-model').click();
  // In the task's own panel: until the selection has landed, the run's outputs panel lists every task's metrics,
  // and a preview opened there is gone when the panel switches.
  const panel = page.getByRole('complementary', { name: 'Selected: evaluate-model' });
  await panel
    .getByRole('button', { name: /metrics/ })
    .first()
    .click();
  await panel.getByRole('table', { name: 'Metrics' }).getByText('0.964912').waitFor();
  await expectCleanPage(page, incidents, 'run-training');
  await page.close();
});

test('a run with a 10,000-iteration batched loop draws the loop as one node with per-state counts', async () => {
  const { page, incidents } = await signedInPage();
  const started = Date.now();
  await page.goto(`${server.url}/ui/runs/kiln-showcase-01running`);
  const loop = graphNode(page, 'fan-out');
  await loop.getByText('15,500 done · 3 failed · 40 running · 457 pending · 3,500 skipped').waitFor();
  timings['run page with a 10,000-iteration loop: graph shown (ms)'] = Date.now() - started;
  console.log(`10,000-iteration loop run: graph with counts shown ${Date.now() - started} ms after navigation`);
  expect(await graphNodes(page).count()).toBeLessThan(30);
  await page.getByRole('list', { name: 'Task instances by state' }).getByText('3 failed').waitFor();
  await loop.click();
  const panel = page.getByRole('complementary', { name: 'Selected: fan-out' });
  await panel.getByText('#4242').waitFor();
  expect(await panel.locator('ol.iterations li').count()).toBe(3);
  // Counts and pages come from the iterations route: the batch summary's counts, failed only at first.
  await panel.getByRole('list', { name: 'Iterations of score-item by state' }).getByText('9,500 succeeded').waitFor();
  await panel.getByRole('checkbox', { name: 'Failed only' }).uncheck();
  await panel.getByText('page 1').waitFor();
  await expectCleanPage(page, incidents, 'run-10000-loop');
  await page.close();
});

test('a 1,000-task pipeline lays out in the worker and draws', async () => {
  const { page, incidents } = await signedInPage();
  const started = Date.now();
  await page.goto(`${server.url}/ui/pipelines/wide-1000/versions/1`);
  await page.getByText(/^1000 nodes laid out in \d+ ms$/).waitFor({ timeout: 60_000 });
  const drawn = Date.now() - started;
  const layoutMs = await page.evaluate(() => performance.getEntriesByName('kiln:graph-layout').map((e) => e.duration));
  timings['1,000-task pipeline: ELK layout in the worker (ms)'] = Math.round(layoutMs[0] ?? -1);
  timings['1,000-task pipeline: navigation to graph drawn (ms)'] = drawn;
  console.log(
    `1,000-task pipeline: ELK layout ${Math.round(layoutMs[0] ?? -1)} ms, graph drawn ${drawn} ms after navigation`,
  );
  expect(layoutMs).toHaveLength(1);
  expect(await graphNodes(page).count()).toBeGreaterThan(0);
  await expectCleanPage(page, incidents, 'pipeline-1000-tasks');
  await page.close();
});

test('hostile names, metadata, errors, links and documents render as text and nothing executes', async () => {
  const { page, incidents } = await signedInPage();
  await page.goto(`${server.url}/ui/runs/kiln-showcase-02done`);
  await page.locator('.react-flow__node').first().waitFor();
  // The run's error and the Temporal link: text, not markup; a javascript: URL is no link.
  await page.getByRole('alert').getByText(hostile.script, { exact: false }).waitFor();
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
  await graphNode(page, 'prepare').click();
  const panel = page.getByRole('complementary', { name: 'Selected: prepare' });
  await panel.getByRole('heading', { name: hostile.markup, exact: false }).waitFor();
  for (const [output, heading] of [
    ['report', 'Data report'],
    ['page', 'Profile'],
  ]) {
    // Markdown and HTML: in a frame sandboxed with no permissions, whose documents hold the hostile text.
    await panel.getByRole('button', { name: new RegExp(`^${output}`) }).click();
    const frame = panel.locator('iframe.artifact-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    await frame.contentFrame().getByRole('heading', { name: heading }).waitFor();
    await page.waitForTimeout(300); // give any injected handler its chance to run
  }
  await panel.getByRole('button', { name: /^samples/ }).click();
  await panel.getByText(hostile.javascriptUrl).waitFor();
  await panel.getByText(/more characters\)$/).waitFor();
  await panel.getByRole('button', { name: '1' }).click();
  await panel.locator('pre.log').getByText(hostile.script).waitFor();
  await page.waitForTimeout(500); // give any injected handler its chance to run
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
  const frameScripts = await Promise.all(
    page.frames().map((f) => f.evaluate(() => window.__kilnPwned).catch(() => undefined)),
  );
  expect(frameScripts.filter((v) => v !== undefined)).toEqual([]);
  await expectCleanPage(page, incidents, 'hostile-run');
  await page.close();
});

test('classification metrics show a confusion matrix and a ROC curve', async () => {
  const { page, incidents } = await signedInPage();
  await page.goto(`${server.url}/ui/runs/kiln-showcase-02done?node=summarize`);
  const panel = page.getByRole('complementary', { name: 'Selected: summarize' });
  await panel.getByRole('button', { name: /^evaluation/ }).click();
  await panel.getByRole('table', { name: /Confusion matrix/ }).waitFor();
  await panel.getByRole('img', { name: 'ROC curve' }).locator('canvas').waitFor();
  await panel.getByRole('button', { name: /^model/ }).click();
  await panel.getByText('scikit-learn').waitFor();
  await expectCleanPage(page, incidents, 'classification-metrics');
  await page.close();
});

test('two runs of an experiment compare side by side with a chart per metric', async () => {
  const { page, incidents } = await signedInPage();
  await page.goto(`${server.url}/ui/experiments`);
  await page.getByRole('link', { name: 'tuning' }).click();
  await page.getByLabel('Compare kiln-training-pipeline-01m8tr643pq6y4an10zj').check();
  await page.getByLabel('Compare kiln-training-pipeline-01m8tr3v853xt797drv4').check();
  await page.getByRole('link', { name: 'Compare 2 runs' }).click();
  await page.getByRole('table', { name: 'Metrics' }).getByText('evaluate-model › f1').waitFor();
  await page.getByRole('table', { name: 'Parameters' }).getByText('minAccuracy').waitFor();
  await page.locator('.metric-chart canvas').first().waitFor();
  expect(await page.locator('.metric-chart').count()).toBe(3);
  await expectCleanPage(page, incidents, 'compare');
  await page.close();
});

test('schedules list their next runs, pause and trigger', async () => {
  const { page, incidents } = await signedInPage();
  await page.goto(`${server.url}/ui/schedules`);
  const row = page.locator('tr', { hasText: 'nightly-training' });
  await row.getByText('active').waitFor();
  await row.getByRole('button', { name: 'Pause' }).click();
  await row.getByText('paused').waitFor();
  await row.getByRole('button', { name: 'Trigger now' }).click();
  await row.getByText('Run started.').waitFor();
  expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(
    expect.arrayContaining(['/schedules/nightly-training/pause', '/schedules/nightly-training/trigger']),
  );
  await page.getByRole('link', { name: 'hourly-showcase' }).click();
  await page.getByRole('heading', { name: 'Next runs' }).waitFor();
  await expectCleanPage(page, incidents, 'schedules');
  await page.close();
});
