/**
 * The UI against a real `kiln dev` (bin/kiln in a child process: API, worker
 * with the local executor, the UI it builds and serves under /ui/), with real
 * runs and no mocked route:
 * - the training example (examples/training/pipeline.ts, compiled with
 *   `kiln compile`) run twice in one experiment, at minAccuracy 0.999 (deploy
 *   skipped) and 0.5 (deployed): sign-in with the printed token, the run page
 *   reaching SUCCEEDED through the event stream, the task panel, the Metrics
 *   and Model previews, the runs list filtered by the experiment, and the two
 *   runs compared side by side;
 * - a failing, looping pipeline (test/fixtures/failing-loop-pipeline.ts): the
 *   loop's per-state counts, its iterations paged and filtered to the failed
 *   ones, a live log growing while its step runs, Markdown, HTML and
 *   ClassificationMetrics previews, the run ending FAILED with the failure in
 *   the attempts table;
 * - a schedule created through the API and paused from the schedules page;
 * - the pipelines page with the uploaded training pipeline's graph.
 * Every page visited gets axe (no serious or critical violation) and a
 * screenshot in apps/ui/test/screenshots. Temporal is KILN_TESTENV's server (a
 * task queue of its own), else kiln dev's embedded one.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { failingItems, loopItems, slowLogLines } from '../fixtures/failing-loop-pipeline';
import {
  launchBrowser,
  pageVerdict,
  screenshotDir,
  seriousAccessibilityViolations,
  type Browser,
  type PageIncidents,
} from './browser';
import {
  apiJson,
  compilePipeline,
  KilnDev,
  pollUntil,
  signedInBySession,
  signInThroughPage,
  waitForRun,
  watchedPage,
  workspaceRoot as root,
  type DevInfo,
} from './kiln-dev-server';

/** Names unique to this test process: the shared Temporal holds other tests' runs and schedules. */
const experiment = `ui-e2e-${process.pid}`;
const scheduleId = `ui-e2e-pause-${process.pid}`;

interface TrainingRuns {
  /** minAccuracy 0.999: deploy-model skipped. */
  skipped: string;
  /** minAccuracy 0.5: deploy-model runs. */
  deployed: string;
}

let dev: KilnDev | undefined;
let info: DevInfo;
let browser: Browser;
let trainingSpec: unknown;
let failingLoopSpec: unknown;
let trainingRuns: Promise<TrainingRuns> | undefined;
let failingLoopRun: Promise<string> | undefined;
let uploadedTraining: Promise<{ name: string; version: string }> | undefined;
/** Folders this file makes (kiln dev's artifact store, a deploy endpoint), removed at the end. */
const scratch: string[] = [];

function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A pipeline compiled to IR by the CLI, as a user would upload it. */
async function compiled(file: string): Promise<unknown> {
  return JSON.parse(await compilePipeline(file));
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  dev = new KilnDev({ taskQueue: `kiln-ui-test-${process.pid}`, artifacts: scratchDir('kiln-ui-dev-') });
  [info, trainingSpec, failingLoopSpec, browser] = await Promise.all([
    dev.ready,
    compiled(join(root, 'examples/training/pipeline.ts')),
    compiled(join(__dirname, '../fixtures/failing-loop-pipeline.ts')),
    launchBrowser(),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** One API call with the printed token; the answer's JSON (an error names the route and the answer). */
function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  return apiJson<T>(info, info.api.token, method, path, body);
}

async function startRun(spec: unknown, params: Record<string, unknown>, options: { experiment?: string } = {}) {
  const started = await api<{ runId: string }>('POST', '/runs', { spec, params, ...options });
  return started.runId;
}

/** The two training runs of the experiment, started once, by whichever test needs them first. */
function startTrainingRuns(): Promise<TrainingRuns> {
  trainingRuns ??= (async () => {
    const deployEndpoint = scratchDir('kiln-ui-deployed-');
    const [skipped, deployed] = await Promise.all([
      startRun(trainingSpec, { minAccuracy: 0.999 }, { experiment }),
      startRun(trainingSpec, { minAccuracy: 0.5, deployEndpoint }, { experiment }),
    ]);
    return { skipped, deployed };
  })();
  return trainingRuns;
}

/** The run of the failing loop pipeline, started once (the live log test watches it from its start). */
function startFailingLoopRun(): Promise<string> {
  failingLoopRun ??= startRun(failingLoopSpec, {});
  return failingLoopRun;
}

/** The training example uploaded as a stored pipeline (POST /pipelines), once. */
function uploadTraining(): Promise<{ name: string; version: string }> {
  uploadedTraining ??= api<{ name: string; version: string }>('POST', '/pipelines', JSON.stringify(trainingSpec));
  return uploadedTraining;
}

/** Waits (through the API, a read every second) until a run has ended; its final state. */
async function ended(runId: string, timeoutMs = 120_000): Promise<string> {
  const isOver = (state: string) => !['PENDING', 'RUNNING'].includes(state);
  const run = await waitForRun(info, info.api.token, runId, isOver, { timeoutMs, intervalMs: 1000 });
  return run.state;
}

/** A new page, signed in (the token in sessionStorage as the sign-in page leaves it), and watched. */
function signedInPage(): Promise<{ page: Page; incidents: PageIncidents }> {
  return signedInBySession(browser, info.api.token);
}

/** A screenshot; then nothing ran that should not have, and axe finds no serious violation. */
async function expectCleanPage(page: Page, incidents: PageIncidents, screenshot: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `kiln-dev-${screenshot}.png`) });
  const verdict = await pageVerdict(page);
  expect(incidents.dialogs).toEqual([]);
  expect(incidents.pageErrors).toEqual([]);
  expect(verdict).toEqual({ cspViolations: [], pwned: undefined });
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

/**
 * Lists come from Temporal's visibility store, which lags a write by a moment: reload (as a person
 * would) until `what` shows, at most `reloads` times.
 */
async function reloadUntilShown(page: Page, what: Locator, reloads = 10): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await what.waitFor({ timeout: 3000 });
      return;
    } catch (error) {
      if (i >= reloads) throw error;
      await page.reload();
    }
  }
}

const graphNode = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const runPath = (runId: string) => `${info.api.url}/ui/runs/${encodeURIComponent(runId)}`;

test('signed in with the printed token, a training run goes to SUCCEEDED live on its page, deploy skipped', async () => {
  expect(info.ui?.url).toBe(`${info.api.url}/ui/`);
  const { page, incidents } = await watchedPage(browser);
  const runReads: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/^\/runs\/[^/]+$/.test(path)) runReads.push(path);
  });

  await signInThroughPage(page, info, info.api.token);
  expect(page.url()).not.toContain(info.api.token);

  const { skipped: runId } = await startTrainingRuns();
  const started = Date.now();
  await page.goto(runPath(runId));
  await page.locator('[data-liveness="live"]').waitFor({ timeout: 30_000 });
  const header = page.locator('header.run-header h1');
  // Everything from here on arrives through the one event stream: no reload, no polling.
  await header.locator('.state-badge.state-succeeded').waitFor({ timeout: 120_000 });
  await page.locator('[data-liveness="ended"]').waitFor();
  console.log(`training run ${runId}: SUCCEEDED on the page ${Date.now() - started} ms after opening it`);
  // One read by the stream's end (the final document); none while it ran.
  expect(runReads.length).toBeLessThanOrEqual(1);

  await graphNode(page, 'deploy-model').locator('.kiln-task.state-skipped').waitFor();
  await page.locator('.branch-outcome.branch-not-taken').waitFor();
  await expectCleanPage(page, incidents, 'training-run');

  // The task panel: attempts from attemptHistory, the saved log of attempt 1, the Temporal link when there is a UI.
  await graphNode(page, 'train-model').click();
  const panel = page.getByRole('complementary', { name: 'Selected: train-model' });
  const attempts = panel.getByRole('table', { name: 'Attempts' });
  await attempts.getByRole('row').nth(1).getByText('succeeded').waitFor();
  expect(await attempts.getByRole('row').count()).toBe(2);
  await panel.getByRole('button', { name: '1', exact: true }).click();
  const savedLog = panel.getByLabel('Log of attempt 1');
  await savedLog.waitFor();
  expect((await savedLog.textContent())?.length).toBeGreaterThan(0);
  if (info.temporal.ui) await panel.getByRole('link', { name: "the step in the run's event history" }).waitFor();
  // The Model artifact's metadata, as the step wrote it.
  await panel.getByRole('button', { name: /^model/ }).click();
  const metadata = panel.getByRole('table', { name: 'Metadata' });
  await metadata
    .getByRole('row', { name: /framework/ })
    .getByText('scikit-learn')
    .waitFor();
  await metadata
    .getByRole('row', { name: /algorithm/ })
    .getByText('RandomForestClassifier')
    .waitFor();
  await expectCleanPage(page, incidents, 'training-task');

  // The Metrics artifact of evaluate-model as a table: accuracy and f1, the accuracy as the run's output says.
  await graphNode(page, 'evaluate-model').click();
  const evaluate = page.getByRole('complementary', { name: 'Selected: evaluate-model' });
  await evaluate.getByRole('button', { name: /^metrics/ }).click();
  const metrics = evaluate.getByRole('table', { name: 'Metrics' });
  await metrics.waitFor();
  const run = await api<{ outputs?: { params: Record<string, unknown> } }>('GET', `/runs/${encodeURIComponent(runId)}`);
  const accuracy = run.outputs?.params['accuracy'];
  expect(typeof accuracy).toBe('number');
  await metrics
    .getByRole('row', { name: /^accuracy/ })
    .getByText(Number(accuracy).toPrecision(6))
    .waitFor();
  await metrics.getByRole('row', { name: /^f1/ }).waitFor();
  await expectCleanPage(page, incidents, 'training-metrics');
  await page.close();
}, 180_000);

test('the runs list filtered by the experiment shows both training runs; the accurate one deployed', async () => {
  const runs = await startTrainingRuns();
  expect(await ended(runs.skipped)).toBe('SUCCEEDED');
  expect(await ended(runs.deployed)).toBe('SUCCEEDED');
  const { page, incidents } = await signedInPage();
  await page.goto(`${info.api.url}/ui/runs`);
  await page.getByLabel('Experiment').fill(experiment);
  await page.getByRole('button', { name: 'Apply' }).click();
  expect(new URL(page.url()).searchParams.get('experiment')).toBe(experiment);
  const rows = page.locator('table.runs tbody tr');
  const row = (runId: string) => rows.filter({ has: page.getByRole('link', { name: runId, exact: true }) });
  // Both rows, each in its final state (visibility catches up with the run's end after a moment).
  await reloadUntilShown(page, row(runs.skipped).getByText('succeeded'));
  await reloadUntilShown(page, row(runs.deployed).getByText('succeeded'));
  expect(await rows.count()).toBe(2);
  expect(await rows.filter({ hasText: experiment }).count()).toBe(2);
  await expectCleanPage(page, incidents, 'runs-experiment');

  await row(runs.deployed).getByRole('link', { name: runs.deployed }).click();
  await page.locator('header.run-header h1 .state-badge.state-succeeded').waitFor({ timeout: 30_000 });
  await graphNode(page, 'deploy-model').locator('.kiln-task.state-succeeded').waitFor();
  await page.locator('.branch-outcome.branch-taken').waitFor();
  await expectCleanPage(page, incidents, 'training-deployed');
  await page.close();
}, 240_000);

test('the two training runs compare side by side on the experiments page, a chart per metric', async () => {
  const runs = await startTrainingRuns();
  await Promise.all([ended(runs.skipped), ended(runs.deployed)]);
  const { page, incidents } = await signedInPage();
  await page.goto(`${info.api.url}/ui/experiments?${new URLSearchParams({ experiment })}`);
  const skippedBox = page.getByLabel(`Compare ${runs.skipped}`);
  await reloadUntilShown(page, skippedBox);
  await skippedBox.check();
  await page.getByLabel(`Compare ${runs.deployed}`).check();
  await expectCleanPage(page, incidents, 'experiment');
  await page.getByRole('link', { name: 'Compare 2 runs' }).click();

  const params = page.getByRole('table', { name: 'Parameters' });
  const minAccuracy = params.getByRole('row', { name: /^minAccuracy/ });
  await minAccuracy.waitFor();
  // Side by side: the row differs, with each run's value in its column.
  expect(await minAccuracy.getAttribute('class')).toContain('differs');
  const columns = await params
    .locator('thead th[title]')
    .evaluateAll((heads) => heads.map((h) => h.getAttribute('title') ?? ''));
  expect([...columns].sort()).toEqual([runs.skipped, runs.deployed].sort());
  expect(await minAccuracy.locator('td').allTextContents()).toEqual(
    columns.map((runId) => (runId === runs.skipped ? '0.999' : '0.5')),
  );
  const metrics = page.getByRole('table', { name: 'Metrics' });
  for (const name of ['evaluate-model › accuracy', 'evaluate-model › f1', 'train-model › accuracy'])
    await metrics.getByRole('rowheader', { name }).waitFor();
  const metricRows = await metrics.locator('tbody tr').count();
  await page.locator('.metric-chart canvas').first().waitFor();
  expect(await page.locator('.metric-chart').count()).toBe(metricRows);
  await expectCleanPage(page, incidents, 'compare');
  await page.close();
}, 240_000);

/** Polls `read` until `done` says yes (every 200 ms, at most `timeoutMs`); the last value read. */
function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const failure = (last: T) => `${what}: not after ${timeoutMs} ms (last: ${String(last)})`;
  return pollUntil(read, done, failure, { timeoutMs, intervalMs: 200 });
}

const progressLines = (text: string | null) => (text ?? '').split('\n').filter((l) => l.startsWith('progress line'));

test('a failing, looping run: the live log follows its step, the loop opens into its (failed) iterations, the run ends FAILED live', async () => {
  const runId = await startFailingLoopRun();
  const { page, incidents } = await signedInPage();
  await page.goto(runPath(runId));
  await page.locator('[data-liveness="live"]').waitFor({ timeout: 30_000 });

  // The live log of slow-log, read at two moments while the step still runs: it grows, and stays in view.
  const slowLog = graphNode(page, 'slow-log');
  await slowLog.locator('.kiln-task.state-running').waitFor({ timeout: 45_000 });
  await slowLog.click();
  const panel = page.getByRole('complementary', { name: 'Selected: slow-log' });
  const liveLog = panel.getByLabel('Live log');
  await liveLog.waitFor({ timeout: 20_000 }).catch(async (error: unknown) => {
    // On a very slow machine the step may have ended first: the panel then says so.
    await page.screenshot({ path: join(screenshotDir, 'kiln-dev-live-log-missing.png') });
    console.log(`no live log; the panel says: ${await page.locator('aside.panel').innerText()}`);
    throw error;
  });
  const first = await until(
    async () => progressLines(await liveLog.textContent()).length,
    (n) => n >= 2,
    'the live log shows progress lines',
  );
  await panel.getByRole('status').getByText('(streaming)').waitFor();
  const second = await until(
    async () => progressLines(await liveLog.textContent()).length,
    (n) => n >= first + 3,
    `the live log grows past ${first} lines`,
    10_000,
  );
  expect(second).toBeLessThan(slowLogLines); // read before the step printed its last line
  expect(await panel.getByRole('status').filter({ hasText: '(streaming)' }).count()).toBe(1);
  expect(await panel.getByRole('checkbox', { name: 'Follow' }).isChecked()).toBe(true);
  const scroll = await liveLog.evaluate((pre) => ({ gap: pre.scrollHeight - pre.clientHeight - pre.scrollTop }));
  expect(scroll.gap).toBeLessThanOrEqual(2);
  console.log(`live log of slow-log: ${first} then ${second} of ${slowLogLines} lines while it ran`);
  await expectCleanPage(page, incidents, 'live-log');

  // The loop: one node with per-state counts, opened into its iterations, failed ones first.
  const loop = graphNode(page, 'for-loop-1');
  const failed = failingItems.length;
  const succeeded = loopItems.length - failed;
  await loop.getByText(`${succeeded} done · ${failed} failed`).waitFor({ timeout: 90_000 });
  await loop.click();
  const loopPanel = page.getByRole('complementary', { name: 'Selected: for-loop-1' });
  const byState = loopPanel.getByRole('list', { name: 'Iterations of score-item by state' });
  await byState.getByText(`${succeeded} succeeded`).waitFor();
  await byState.getByText(`${failed} failed`).waitFor();
  const failedOnly = loopPanel.getByRole('checkbox', { name: 'Failed only' });
  expect(await failedOnly.isChecked()).toBe(true);
  const iterations = loopPanel.getByRole('list', { name: 'Iterations of score-item', exact: true }).locator('li');
  await loopPanel.getByText(`page 1, ${failed} matching`).waitFor();
  expect(await iterations.allTextContents()).toEqual(failingItems.map((i) => expect.stringContaining(`#${i} failed`)));
  await expectCleanPage(page, incidents, 'loop-failed');
  // All iterations, 20 to a page.
  await failedOnly.uncheck();
  await loopPanel.getByText(`page 1, ${loopItems.length} matching`).waitFor();
  expect(await iterations.count()).toBe(20);
  await iterations.first().getByText('#0').waitFor();
  await loopPanel.getByRole('button', { name: 'Next' }).click();
  await loopPanel.getByText(`page 2, ${loopItems.length} matching`).waitFor();
  expect(await iterations.count()).toBe(20);
  await iterations.last().getByText('#39').waitFor();
  await expectCleanPage(page, incidents, 'loop-all');

  // The run's end, live: FAILED, and the failed iteration's attempt says why.
  await page.locator('header.run-header h1 .state-badge.state-failed').waitFor({ timeout: 90_000 });
  await page.locator('[data-liveness="ended"]').waitFor();
  await page.getByRole('button', { name: 'Open loop for-loop-1' }).click();
  const body = page.locator('.react-flow__node[data-id$="score-item"]');
  await body.click();
  const bodyPanel = page.getByRole('complementary', { name: 'Selected: score-item' });
  await bodyPanel.getByRole('button', { name: 'iteration 7' }).click();
  const attempt = bodyPanel.getByRole('table', { name: 'Attempts' }).getByRole('row').nth(1);
  await attempt.getByText('failed').waitFor();
  // The failure's class and reason, the launcher's message, and the exit code, as the attempt recorded them.
  const failure = attempt.getByRole('cell', { name: /^user NonZeroExit/ });
  await failure.getByText('the command exited with code 1').waitFor();
  await attempt.getByRole('cell', { name: '1', exact: true }).waitFor();
  await expectCleanPage(page, incidents, 'failed-iteration');
  await page.close();
}, 240_000);

test('the Markdown and HTML artifacts of the failing run show in sandboxed frames, its classification metrics as a matrix and a curve', async () => {
  const runId = await startFailingLoopRun();
  expect(await ended(runId)).toBe('FAILED');
  const { page, incidents } = await signedInPage();
  await page.goto(`${runPath(runId)}?node=report`);
  const panel = page.getByRole('complementary', { name: 'Selected: report' });
  for (const [output, heading] of [
    ['summary', 'Loop report'],
    ['page', 'Loop page'],
  ] as const) {
    await panel.getByRole('button', { name: new RegExp(`^${output}`) }).click();
    const frame = panel.locator('iframe.artifact-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    await frame.contentFrame().getByRole('heading', { name: heading }).waitFor();
  }
  await panel.getByRole('button', { name: /^evaluation/ }).click();
  const matrix = panel.getByRole('table', { name: /Confusion matrix/ });
  await matrix.waitFor();
  await matrix.getByText('34', { exact: true }).waitFor();
  await panel.getByRole('img', { name: 'ROC curve' }).locator('canvas').waitFor();
  await expectCleanPage(page, incidents, 'report-artifacts');
  await page.close();
}, 180_000);

test('a schedule created through the API is paused from the schedules page, and the API says it is paused', async () => {
  const pipeline = await uploadTraining();
  await api('POST', '/schedules', {
    id: scheduleId,
    pipeline: { name: pipeline.name, version: pipeline.version },
    params: { minAccuracy: 0.999 },
    experiment,
    interval: { every: '1h' },
    catchupWindow: '1m',
    note: 'made by the UI browser test',
  });
  try {
    const { page, incidents } = await signedInPage();
    await page.goto(`${info.api.url}/ui/schedules`);
    const row = page.locator('tr', { has: page.getByRole('link', { name: scheduleId, exact: true }) });
    await reloadUntilShown(page, row);
    await row.getByRole('cell', { name: 'active', exact: true }).waitFor();
    await row.getByRole('cell', { name: `${pipeline.name} ${pipeline.version}` }).waitFor();
    expect(await row.locator('ul.times li').count()).toBeGreaterThan(0);
    await expectCleanPage(page, incidents, 'schedules');

    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByRole('cell', { name: 'paused', exact: true }).waitFor({ timeout: 15_000 });
    await row.getByRole('button', { name: 'Resume' }).waitFor();
    const schedule = await api<{ paused: boolean }>('GET', `/schedules/${scheduleId}`);
    expect(schedule.paused).toBe(true);

    await row.getByRole('link', { name: scheduleId }).click();
    await page.getByRole('heading', { name: 'Next runs' }).waitFor();
    await page.getByText(/^Paused/).waitFor();
    await expectCleanPage(page, incidents, 'schedule');
    await page.close();
  } finally {
    await api('DELETE', `/schedules/${scheduleId}`);
  }
}, 120_000);

test('the pipelines page lists the uploaded training pipeline and draws its graph', async () => {
  const pipeline = await uploadTraining();
  const { page, incidents } = await signedInPage();
  await page.goto(`${info.api.url}/ui/pipelines`);
  await page.getByRole('link', { name: pipeline.name, exact: true }).click();
  await expectCleanPage(page, incidents, 'pipeline');
  await page.getByRole('link', { name: pipeline.version, exact: true }).click();
  await graphNode(page, 'train-model').waitFor();
  expect(await page.locator('.react-flow__node').count()).toBe(6);
  await page.getByText('if evaluate-model.accuracy >= $minAccuracy').waitFor();
  await expectCleanPage(page, incidents, 'pipelines');
  await page.close();
}, 60_000);
