/**
 * Debian's Chromium driven by playwright-core, started the way apps/ui's
 * browser tests start it (apps/ui/test/browser/browser.ts: same binary, same
 * flags, a fresh profile). A local copy because a tool may not reach into
 * another project's test folder by a relative path (module boundaries).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { workspaceRoot } from './paths';

export const chromiumPath = '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a machine without a network beyond the loopback. */
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BenchBrowser {
  readonly context: BrowserContext;
  /** `chromium --version`, for the results file. */
  readonly version: string;
  close(): Promise<void>;
}

function ensureChromium(): string {
  if (!existsSync(chromiumPath)) {
    execFileSync(join(workspaceRoot(), 'tools', 'testenv', 'chromium'), { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/**
 * Headless Chromium with a new, empty profile (removed on close).
 *
 * @example
 * ```ts
 * const browser = await launchBrowser();
 * const page = await browser.context.newPage();
 * await browser.close();
 * ```
 */
export async function launchBrowser(): Promise<BenchBrowser> {
  const version = ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), 'kiln-bench-ui-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  return {
    context,
    version,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
