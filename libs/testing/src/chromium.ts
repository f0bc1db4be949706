/**
 * Debian's Chromium driven by playwright-core, started one way for every browser test and benchmark (the
 * UI's browser tests and tools/bench/ui): `/usr/bin/chromium` (installed by tools/testenv/chromium when
 * missing; Playwright's own browser download does not work here), headless with the flags below, a fresh
 * profile removed on close, a 1440×900 viewport in en-US and UTC.
 *
 * Its own entry point (`@kiln/testing/chromium`), not part of `@kiln/testing`'s index: the index loads the
 * real engine (Temporal worker, executors), which a browser benchmark has no use for.
 *
 * @example
 * ```ts
 * import { launchChromium } from '@kiln/testing/chromium';
 *
 * const browser = await launchChromium({ profilePrefix: 'kiln-ui-chromium-' });
 * const page = await browser.context.newPage();
 * await page.goto(url);
 * await browser.close();
 * ```
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { workspaceRoot } from './workspace-root';

export const chromiumPath = '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a machine without a network beyond the loopback. */
export const chromiumFlags: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Installs Chromium if it is missing (tools/testenv/chromium, idempotent) and says which version runs. */
export function ensureChromium(): string {
  if (!existsSync(chromiumPath)) {
    execFileSync(join(workspaceRoot(), 'tools', 'testenv', 'chromium'), { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

export interface ChromiumBrowser {
  readonly context: BrowserContext;
  /** `chromium --version`. */
  readonly version: string;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Headless Chromium with a new, empty profile in a temp folder named `profilePrefix…` (removed on close). */
export async function launchChromium({ profilePrefix }: { profilePrefix: string }): Promise<ChromiumBrowser> {
  const version = ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), profilePrefix));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumFlags],
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
