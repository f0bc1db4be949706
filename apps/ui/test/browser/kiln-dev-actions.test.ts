/**
 * Run actions by role, in real Chromium against a real `kiln dev` (bin/kiln in
 * a child process with `--operator-token` and `--viewer-token`; API, worker
 * with the local executor, the UI it builds and serves). The admin uploads the
 * training example (compiled by `kiln compile`), a pipeline whose step sleeps
 * 60 s and one whose step fails; the operator starts runs of the stored
 * versions. A viewer sees a run's page without Cancel, Retry or Re-run, and the
 * API refuses the viewer's cancel (403); an operator cancels the sleeping run
 * from its page and watches it turn CANCELLED live, retries the failed run and
 * lands on the retry (origin.retryOf), finds no re-run for a run of inline IR
 * (that needs admin), and re-runs the training run with a changed minAccuracy, landing on the new run with the new value. axe runs with
 * the re-run form open; screenshots go to apps/ui/test/screenshots.
 * Temporal is KILN_TESTENV's server (a task queue of its own), else kiln dev's embedded one.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  launchBrowser,
  pageVerdict,
  screenshotDir,
  seriousAccessibilityViolations,
  type Browser,
  type PageIncidents,
} from './browser';
import {
  apiAnswer,
  compilePipeline,
  getRun as getRunAs,
  KilnDev,
  signInThroughPage,
  tokenOf,
  waitForRun,
  watchedPage,
  workspaceRoot as root,
  type DevInfo,
  type Role,
} from './kiln-dev-server';

jest.setTimeout(240_000);

interface RunDoc {
  runId: string;
  state: string;
  params: Record<string, unknown>;
  experiment?: string;
  origin?: { startedBy: string; pipelineVersion?: string; pipelineDigest: string; retryOf?: string };
}

let dev: KilnDev | undefined;
let info: DevInfo;
let browser: Browser;
/** Runs this file started, cancelled at the end so none outlives kiln dev on a shared Temporal. */
const started: string[] = [];

/** One call to the API as `role`; the answer's status and JSON body (IR text as it is, anything else as JSON). */
function api(
  role: Role,
  method: 'GET' | 'POST',
  path: string,
  body?: { json: unknown } | { ir: string },
): Promise<{ status: number; body: unknown }> {
  return apiAnswer(info, tokenOf(info, role), method, path, body && ('ir' in body ? body.ir : body.json));
}

function getRun(runId: string): Promise<RunDoc> {
  return getRunAs<RunDoc>(info, tokenOf(info, 'viewer'), runId);
}

/** Starts a run of a stored pipeline as the operator (operators run what an admin stored). */
async function startStoredRun(name: string, params: Record<string, unknown>, experiment?: string): Promise<string> {
  const answer = await api('operator', 'POST', '/runs', {
    json: { pipeline: { name }, params, ...(experiment ? { experiment } : {}) },
  });
  if (answer.status !== 201) throw new Error(`POST /runs ${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  const { runId } = answer.body as { runId: string };
  started.push(runId);
  return runId;
}

function waitForState(runId: string, states: readonly string[], timeoutMs = 120_000): Promise<RunDoc> {
  return waitForRun<RunDoc>(info, tokenOf(info, 'viewer'), runId, (state) => states.includes(state), {
    timeoutMs,
    intervalMs: 500,
    context: () => `, not ${states.join('/')}; ${dev?.stderr ?? ''}`,
  });
}

/** A one-step pipeline whose step runs `command` (the local executor ignores the image), tried once. */
function oneStepPipeline(name: string, command: unknown[], params: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schemaVersion: '1.0',
    pipeline: { name },
    params,
    settings: {},
    components: {
      step: {
        name: 'step',
        inputs: Object.fromEntries(
          Object.entries(params).map(([p, spec]) => [p, { ...(spec as object), default: undefined }]),
        ),
        outputs: {},
        implementation: { type: 'container', image: 'busybox', command },
      },
    },
    root: {
      tasks: {
        step: {
          type: 'task',
          component: 'step',
          inputs: Object.fromEntries(Object.keys(params).map((p) => [p, { kind: 'param', name: p }])),
          dependsOn: [],
          settings: {
            retry: { maxAttempts: 1, initialBackoffSeconds: 0, backoffFactor: 1, maxBackoffSeconds: 0, retryOn: [] },
          },
        },
      },
    },
    outputs: {},
  });
}

async function upload(ir: string, version: string): Promise<void> {
  const answer = await api('admin', 'POST', `/pipelines?version=${version}`, { ir });
  if (answer.status !== 201 && answer.status !== 200)
    throw new Error(`POST /pipelines: ${answer.status} ${JSON.stringify(answer.body)}`);
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  dev = new KilnDev({
    taskQueue: `kiln-ui-actions-${process.pid}`,
    artifacts: mkdtempSync(join(tmpdir(), 'kiln-ui-actions-')),
    extraArgs: ['--operator-token', '--viewer-token'],
  });
  info = await dev.ready;
  browser = await launchBrowser();
  await upload(await compilePipeline(join(root, 'examples/training/pipeline.ts')), '1');
  const seconds = { kind: 'param', type: 'float', default: 60 };
  await upload(oneStepPipeline('sleepy', ['sleep', { kind: 'inputValue', input: 'seconds' }], { seconds }), '1');
  await upload(oneStepPipeline('doomed', ['sh', '-c', 'echo failing on purpose; exit 3']), '1');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const runId of started) if (info) await api('admin', 'POST', `/runs/${encodeURIComponent(runId)}/cancel`);
  await dev?.stop();
});

/** A new tab signed in through the sign-in page with `role`'s token, watched for incidents. */
async function signedIn(role: 'operator' | 'viewer'): Promise<{ page: Page; incidents: PageIncidents }> {
  const signedInPage = await watchedPage(browser);
  await signInThroughPage(signedInPage.page, info, tokenOf(info, role));
  return signedInPage;
}

/** Opens a run's page and waits until the role is known (whoami answered) and the run shows. */
async function openRun(page: Page, runId: string): Promise<void> {
  const whoami = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/whoami', { timeout: 30_000 });
  await page.goto(`${info.api.url}/ui/runs/${encodeURIComponent(runId)}`);
  expect((await whoami).status()).toBe(200);
  await page.locator('header.run-header h1').waitFor();
}

const header = (page: Page) => page.locator('header.run-header');

async function expectNothingBad(page: Page, incidents: PageIncidents): Promise<void> {
  expect(incidents.dialogs).toEqual([]);
  expect(incidents.pageErrors).toEqual([]);
  expect((await pageVerdict(page)).cspViolations).toEqual([]);
}

let sleepyRun: string;

test('a viewer sees a running run with no Cancel, Retry or Re-run, and the API refuses the viewer its cancel', async () => {
  sleepyRun = await startStoredRun('sleepy', {});
  await waitForState(sleepyRun, ['RUNNING']);
  const { page, incidents } = await signedIn('viewer');
  await openRun(page, sleepyRun);
  await header(page).locator('.state-badge.state-running').waitFor();
  await page.locator('[data-liveness="live"]').waitFor({ timeout: 30_000 });
  expect(await header(page).getByRole('toolbar', { name: 'Run actions' }).count()).toBe(0);
  for (const name of [/cancel/i, /retry/i, /re-run/i]) expect(await page.getByRole('button', { name }).count()).toBe(0);

  const refused = await api('viewer', 'POST', `/runs/${encodeURIComponent(sleepyRun)}/cancel`);
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({
    error: { code: 'forbidden', details: { role: 'viewer', required: 'operator' } },
  });
  expect((await getRun(sleepyRun)).state).toBe('RUNNING');
  await page.screenshot({ path: join(screenshotDir, 'kiln-dev-actions-viewer.png') });
  await expectNothingBad(page, incidents);
  await page.close();
});

test('an operator cancels the running run from its page, confirming in the page, and it turns CANCELLED live', async () => {
  const { page, incidents } = await signedIn('operator');
  await openRun(page, sleepyRun);
  await page.locator('[data-liveness="live"]').waitFor({ timeout: 30_000 });
  const actions = header(page).getByRole('toolbar', { name: 'Run actions' });
  await actions.getByRole('button', { name: 'Cancel run' }).click();
  const confirm = actions.getByRole('button', { name: 'Yes, cancel the run' });
  // The confirmation takes focus, so a keyboard user answers it at once.
  await expect(confirm.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  await confirm.click();
  await page.getByText('Cancellation requested').waitFor();
  await header(page).locator('h1 .state-badge.state-cancelled').waitFor({ timeout: 60_000 });
  expect((await getRun(sleepyRun)).state).toBe('CANCELLED');
  // A cancelled run may be retried; it is not running, so there is nothing to cancel.
  await actions.getByRole('button', { name: 'Retry' }).waitFor();
  expect(await actions.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
  await expectNothingBad(page, incidents);
  await page.close();
});

test('an operator retries a failed run and lands on the retry, whose origin names the failed run', async () => {
  const failed = await startStoredRun('doomed', {});
  await waitForState(failed, ['FAILED']);
  const { page, incidents } = await signedIn('operator');
  await openRun(page, failed);
  await header(page).locator('h1 .state-badge.state-failed').waitFor();
  await header(page).getByRole('button', { name: 'Retry' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith(`/runs/${encodeURIComponent(failed)}`), { timeout: 30_000 });
  const retryId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  started.push(retryId);
  expect(retryId).not.toBe(failed);
  await header(page).getByRole('link', { name: failed }).waitFor();
  const retry = await getRun(retryId);
  expect(retry.origin).toMatchObject({ retryOf: failed, startedBy: 'dev-operator' });
  await expectNothingBad(page, incidents);
  await page.close();
});

test('a run of inline IR offers an operator no re-run (inline IR needs admin), saying why', async () => {
  const spec: unknown = JSON.parse(oneStepPipeline('inline-doomed', ['sh', '-c', 'exit 4']));
  const answer = await api('admin', 'POST', '/runs', { json: { spec, params: {} } });
  expect(answer.status).toBe(201);
  const { runId } = answer.body as { runId: string };
  started.push(runId);
  await waitForState(runId, ['FAILED']);
  const { page, incidents } = await signedIn('operator');
  await openRun(page, runId);
  const rerun = header(page).getByRole('button', { name: 'Re-run with changed parameters' });
  await rerun.waitFor();
  expect(await rerun.isDisabled()).toBe(true);
  const reason = await rerun.getAttribute('aria-describedby');
  expect(await page.locator(`[id="${reason}"]`).textContent()).toMatch(/Only an admin can re-run this run/);
  // Retrying it needs no new IR (the run's own input is started again), so an operator may.
  await header(page).getByRole('button', { name: 'Retry' }).waitFor();
  await expectNothingBad(page, incidents);
  await page.close();
});

test('an operator re-runs the training run with a changed minAccuracy and lands on the new run with the new value', async () => {
  const first = await startStoredRun('training-pipeline', { minAccuracy: 0.999 }, 'ui-actions');
  const { page, incidents } = await signedIn('operator');
  await openRun(page, first);
  const actions = header(page).getByRole('toolbar', { name: 'Run actions' });
  const open = actions.getByRole('button', { name: 'Re-run with changed parameters' });
  await open.click();
  expect(await open.getAttribute('aria-expanded')).toBe('true');
  const form = page.getByRole('form', { name: 'Re-run with changed parameters' });
  const minAccuracy = form.getByLabel(/^minAccuracy/);
  await minAccuracy.waitFor();
  expect(await minAccuracy.inputValue()).toBe('0.999');
  // The first field has the focus once the form opens.
  await expect(
    form
      .locator('input, select, textarea')
      .first()
      .evaluate((el) => el === document.activeElement),
  ).resolves.toBe(true);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.screenshot({ path: join(screenshotDir, 'kiln-dev-actions-rerun-form.png') });

  await minAccuracy.fill('');
  await minAccuracy.fill('0.5');
  await form.getByRole('button', { name: 'Start run' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith(`/runs/${encodeURIComponent(first)}`), { timeout: 30_000 });
  const rerunId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
  started.push(rerunId);
  expect(rerunId).not.toBe(first);
  await header(page).locator('h1').getByText(rerunId).waitFor();
  await header(page).locator('summary', { hasText: 'Parameters' }).click();
  const params = header(page).getByRole('table', { name: 'Parameters' });
  await params
    .getByRole('row', { name: /minAccuracy/ })
    .getByText('0.5', { exact: true })
    .waitFor();

  const rerun = await getRun(rerunId);
  const original = await getRun(first);
  expect(rerun.params).toMatchObject({ minAccuracy: 0.5 });
  expect(rerun.experiment).toBe('ui-actions');
  expect(rerun.origin).toMatchObject({
    startedBy: 'dev-operator',
    pipelineVersion: '1',
    pipelineDigest: original.origin?.pipelineDigest,
  });
  await expectNothingBad(page, incidents);
  await page.close();
});
