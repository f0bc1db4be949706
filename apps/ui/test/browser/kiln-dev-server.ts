/**
 * A real `kiln dev` for the UI's browser tests (kiln-dev.test.ts and
 * kiln-dev-actions.test.ts): bin/kiln in a child process on the shared Temporal
 * of KILN_TESTENV when there is one (else kiln dev's embedded server), its
 * `--json` line read, its stderr kept for failure messages, stopped with
 * SIGINT. With it, the calls the tests make beside the browser: the API with a
 * printed token, waiting for a run's state, `kiln compile`, and signing a page
 * in.
 *
 * @example
 * ```ts
 * const dev = new KilnDev({ taskQueue: `kiln-ui-test-${process.pid}`, artifacts: mkdtempSync(join(tmpdir(), 'x-')) });
 * const info = await dev.ready;
 * const run = await waitForRun(info, info.api.token, runId, (state) => state === 'SUCCEEDED');
 * await dev.stop();
 * ```
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { watchPage, type Browser, type PageIncidents } from './browser';

export const workspaceRoot = resolve(__dirname, '../../../..');
export const kilnBin = join(workspaceRoot, 'bin/kiln');

export type Role = 'admin' | 'operator' | 'viewer';

/** What `kiln dev --json` prints, as far as the tests read it (apps/cli/src/commands/dev.ts has all of it). */
export interface DevInfo {
  api: { url: string; token: string; tokens: { admin: string; operator?: string; viewer?: string } };
  ui?: { url: string };
  temporal: { ui?: string };
}

/**
 * kiln dev's environment: the shared Temporal when KILN_TESTENV names one, no caller API settings, and
 * `artifactsDir` as its artifact store.
 */
export function devEnv(artifactsDir: string): NodeJS.ProcessEnv {
  const { TEMPORAL_ADDRESS: _a, KILN_API_URL: _b, KILN_API_TOKEN: _c, KILN_TASK_QUEUE: _d, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = { ...inherited, KILN_ARTIFACTS: `file://${artifactsDir}` };
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

export interface KilnDevOptions {
  /** A task queue of the test's own: the shared Temporal serves other tests' workers too. */
  taskQueue: string;
  /** The folder kiln dev's file:// artifact store lives in. */
  artifacts: string;
  /** More `kiln dev` arguments (e.g. `--operator-token`). */
  extraArgs?: readonly string[];
}

/**
 * `bin/kiln dev --api-port 0 --json` started at construction (so {@link stop} can end it even when it never
 * becomes ready); {@link ready} is its printed info, or an error with its stderr if it exits first.
 */
export class KilnDev {
  readonly ready: Promise<DevInfo>;
  private readonly child: ChildProcess;
  private stderrText = '';

  constructor(options: KilnDevOptions) {
    const args = ['dev', '--api-port', '0', '--json', '--task-queue', options.taskQueue, ...(options.extraArgs ?? [])];
    const child = spawn(kilnBin, args, { cwd: tmpdir(), env: devEnv(options.artifacts) });
    this.child = child;
    child.stderr.on('data', (chunk: Buffer) => (this.stderrText += chunk.toString()));
    this.ready = new Promise<DevInfo>((resolveInfo, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line && out.includes('\n')) resolveInfo(JSON.parse(line) as DevInfo);
      });
      child.once('exit', (code) => reject(new Error(`kiln dev exited ${code}: ${this.stderrText}`)));
    });
  }

  /** Everything kiln dev wrote to stderr so far. */
  get stderr(): string {
    return this.stderrText;
  }

  /** SIGINT, then waits for it to exit; nothing when it has exited already. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.child.kill('SIGINT');
    await exited;
  }
}

/** The token kiln dev printed for `role` (operator and viewer only when started with their flags). */
export function tokenOf(info: DevInfo, role: Role): string {
  const token = info.api.tokens[role];
  if (!token) throw new Error(`kiln dev printed no ${role} token`);
  return token;
}

/**
 * One API call with `token`; the answer's status and JSON body (undefined when empty). A string body is sent
 * as it is (e.g. IR to POST /pipelines), anything else as JSON.
 */
export async function apiAnswer(
  info: DevInfo,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; ok: boolean; body: unknown; text: string }> {
  const response = await fetch(`${info.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, ok: response.ok, body: text ? JSON.parse(text) : undefined, text };
}

/** {@link apiAnswer}'s body when the answer is a success; else an error naming the route and the answer. */
export async function apiJson<T>(info: DevInfo, token: string, method: string, path: string, body?: unknown) {
  const answer = await apiAnswer(info, token, method, path, body);
  if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
  return answer.body as T;
}

/**
 * Calls `read` until `done` says yes of its value, `intervalMs` apart, for at most `timeoutMs`; the last value
 * read. On the timeout, an error saying `failure(last value)`.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  failure: (last: T) => string,
  { timeoutMs, intervalMs }: { timeoutMs: number; intervalMs: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(failure(value));
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A run's document as GET /runs/:id answers it, read with `token`. */
export function getRun<T extends { state: string }>(info: DevInfo, token: string, runId: string): Promise<T> {
  return apiJson<T>(info, token, 'GET', `/runs/${encodeURIComponent(runId)}`);
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Appended to the timeout's message. */
  context?: () => string;
}

/**
 * Reads the run (GET /runs/:id with `token`, every `intervalMs`) until `done` says yes of its state; the
 * run's document then. `context` adds to the timeout's message (e.g. kiln dev's stderr).
 */
export function waitForRun<T extends { state: string }>(
  info: DevInfo,
  token: string,
  runId: string,
  done: (state: string) => boolean,
  { timeoutMs = 120_000, intervalMs = 1000, context = () => '' }: WaitOptions = {},
): Promise<T> {
  return pollUntil(
    () => getRun<T>(info, token, runId),
    (run) => done(run.state),
    (run) => `run ${runId} still ${run.state} after ${timeoutMs} ms${context()}`,
    { timeoutMs, intervalMs },
  );
}

/** A pipeline file compiled to IR by the CLI (`kiln compile`), as a user would upload it: the IR's JSON text. */
export async function compilePipeline(file: string): Promise<string> {
  const { stdout } = await promisify(execFile)(kilnBin, ['compile', file], {
    cwd: tmpdir(),
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** A new tab, watched for incidents (see watchPage). */
export async function watchedPage(browser: Browser): Promise<{ page: Page; incidents: PageIncidents }> {
  const page = await browser.context.newPage();
  return { page, incidents: await watchPage(page) };
}

/** Signs `page` in through the UI's sign-in page with `token`, and waits for the runs list it lands on. */
export async function signInThroughPage(page: Page, info: DevInfo, token: string): Promise<void> {
  await page.goto(info.ui?.url ?? '');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Runs' }).waitFor();
}

/** A new watched tab signed in as the sign-in page leaves one (the token in sessionStorage), without visiting it. */
export async function signedInBySession(
  browser: Browser,
  token: string,
): Promise<{ page: Page; incidents: PageIncidents }> {
  const signedIn = await watchedPage(browser);
  // Top document only: sandboxed artifact frames have no storage (reading it throws there, by design).
  await signedIn.page.addInitScript((printed) => {
    if (window.self === window.top) sessionStorage.setItem('kiln.apiToken', printed);
  }, token);
  return signedIn;
}
