/**
 * The UI against a real `kiln dev` (bin/kiln in a child process: API, worker
 * with the local executor, the UI it builds and serves under /ui/), with a real
 * run of examples/training/pipeline.ts at minAccuracy 0.999 so deploy is
 * skipped: sign in with the printed token, watch the run page reach SUCCEEDED
 * through the event stream (no reload, no polling), the deploy branch marked
 * not taken, axe on the page, a screenshot in apps/ui/test/screenshots.
 * Temporal is KILN_TESTENV's server (a task queue of its own), else kiln dev's embedded one.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  launchBrowser,
  pageVerdict,
  screenshotDir,
  seriousAccessibilityViolations,
  watchPage,
  type Browser,
} from './browser';

const root = resolve(__dirname, '../../../..');
const kilnBin = join(root, 'bin/kiln');

interface DevInfo {
  api: { url: string; token: string };
  ui?: { url: string };
  temporal: { ui?: string };
}

let dev: ChildProcess | undefined;
let info: DevInfo;
let browser: Browser;
let devStderr = '';

/** kiln dev's environment: the shared Temporal when KILN_TESTENV names one, and no caller API settings. */
function devEnv(): NodeJS.ProcessEnv {
  const { TEMPORAL_ADDRESS: _a, KILN_API_URL: _b, KILN_API_TOKEN: _c, KILN_TASK_QUEUE: _d, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    KILN_ARTIFACTS: `file://${mkdtempSync(join(tmpdir(), 'kiln-ui-dev-'))}`,
  };
  const testenv = process.env['KILN_TESTENV'];
  if (testenv) {
    const { temporal } = JSON.parse(testenv) as { temporal: { address: string; namespace: string; ui?: string } };
    Object.assign(env, {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      ...(temporal.ui ? { KILN_TEMPORAL_UI: temporal.ui } : {}),
    });
  }
  return env;
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  const taskQueue = `kiln-ui-test-${process.pid}`;
  const child = spawn(kilnBin, ['dev', '--api-port', '0', '--json', '--task-queue', taskQueue], {
    cwd: tmpdir(),
    env: devEnv(),
  });
  dev = child;
  child.stderr.on('data', (chunk: Buffer) => (devStderr += chunk.toString()));
  info = await new Promise<DevInfo>((resolveInfo, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) resolveInfo(JSON.parse(line) as DevInfo);
    });
    child.once('exit', (code) => reject(new Error(`kiln dev exited ${code}: ${devStderr}`)));
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (!dev || dev.exitCode !== null) return;
  const exited = new Promise<number | null>((r) => dev?.once('exit', (code) => r(code)));
  dev.kill('SIGINT');
  await exited;
});

/** The training example compiled to IR by the CLI, as a user would upload it. */
async function compiledTraining(): Promise<unknown> {
  const { stdout } = await promisify(execFile)(kilnBin, ['compile', join(root, 'examples/training/pipeline.ts')], {
    cwd: tmpdir(),
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

async function startRun(spec: unknown, params: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${info.api.url}/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${info.api.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ spec, params }),
  });
  if (response.status !== 201) throw new Error(`POST /runs: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { runId: string }).runId;
}

test('signed in with the printed token, a training run goes to SUCCEEDED live on its page, deploy skipped', async () => {
  expect(info.ui?.url).toBe(`${info.api.url}/ui/`);
  const spec = await compiledTraining();
  const page = await browser.context.newPage();
  const incidents = await watchPage(page);
  const runReads: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/^\/runs\/[^/]+$/.test(path)) runReads.push(path);
  });

  await page.goto(info.ui?.url ?? '');
  await page.getByLabel('API token').fill(info.api.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Runs' }).waitFor();
  expect(page.url()).not.toContain(info.api.token);

  const runId = await startRun(spec, { minAccuracy: 0.999 });
  const started = Date.now();
  await page.goto(`${info.api.url}/ui/runs/${encodeURIComponent(runId)}`);
  await page.locator('[data-liveness="live"]').waitFor({ timeout: 30_000 });
  const header = page.locator('header.run-header h1');
  // Everything from here on arrives through the one event stream: no reload, no polling.
  await header.locator('.state-badge.state-succeeded').waitFor({ timeout: 90_000 });
  await page.locator('[data-liveness="ended"]').waitFor();
  console.log(`training run ${runId}: SUCCEEDED on the page ${Date.now() - started} ms after opening it`);
  // One read by the stream's end (the final document); none while it ran.
  expect(runReads.length).toBeLessThanOrEqual(1);

  await page.locator('.react-flow__node[data-id="deploy-model"] .kiln-task.state-skipped').waitFor();
  await page.locator('.branch-outcome.branch-not-taken').waitFor();
  await page.screenshot({ path: join(screenshotDir, 'kiln-dev-training-run.png') });

  // The task panel: attempts from attemptHistory, the saved log of attempt 1, the Temporal link when there is a UI.
  await page.locator('.react-flow__node[data-id="train-model"]').click();
  const panel = page.getByRole('complementary', { name: 'Selected: train-model' });
  const attempts = panel.getByRole('table', { name: 'Attempts' });
  await attempts.getByRole('row').nth(1).getByText('succeeded').waitFor();
  expect(await attempts.getByRole('row').count()).toBe(2);
  await panel.getByRole('button', { name: '1', exact: true }).click();
  const savedLog = panel.getByLabel('Log of attempt 1');
  await savedLog.waitFor();
  expect((await savedLog.textContent())?.length).toBeGreaterThan(0);
  if (info.temporal.ui) await panel.getByRole('link', { name: "the step in the run's event history" }).waitFor();
  await page.screenshot({ path: join(screenshotDir, 'kiln-dev-training-task.png') });

  const verdict = await pageVerdict(page);
  expect(incidents.dialogs).toEqual([]);
  expect(incidents.pageErrors).toEqual([]);
  expect(verdict.cspViolations).toEqual([]);
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.close();
}, 150_000);
