/**
 * The browser the UI's tests drive: Debian's Chromium, started by
 * playwright-core with a fresh profile and no background networking, as
 * @kiln/testing/chromium starts it for every browser test and benchmark.
 * Each page is watched for what must never happen: dialogs, page errors, CSP
 * violations, and the hostile fixtures' marker.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, type ChromiumBrowser } from '@kiln/testing/chromium';
import type { Page } from 'playwright-core';

export type Browser = ChromiumBrowser;

/** Starts headless Chromium (see @kiln/testing/chromium) with a new, empty user data dir (removed on close). */
export function launchBrowser(): Promise<Browser> {
  return launchChromium({ profilePrefix: 'kiln-ui-chromium-' });
}

/** What a page did that it must not. */
export interface PageIncidents {
  readonly dialogs: string[];
  readonly pageErrors: string[];
  readonly consoleErrors: string[];
}

declare global {
  interface Window {
    __kilnPwned?: number;
    __kilnCspViolations?: string[];
  }
}

/** Records dialogs (dismissed), uncaught errors, console errors and CSP violations of the top document. */
export async function watchPage(page: Page): Promise<PageIncidents> {
  const incidents: PageIncidents = { dialogs: [], pageErrors: [], consoleErrors: [] };
  page.on('dialog', (dialog) => {
    incidents.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => incidents.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') incidents.consoleErrors.push(message.text());
  });
  // Injected by the browser before any page script (not an inline script, so the CSP allows it).
  await page.addInitScript(() => {
    window.__kilnCspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__kilnCspViolations?.push(
        `${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
      );
    });
  });
  return incidents;
}

/** The CSP violations the top document saw, and whether a hostile fixture ever ran. */
export async function pageVerdict(page: Page): Promise<{ cspViolations: string[]; pwned: number | undefined }> {
  return page.evaluate(() => ({ cspViolations: window.__kilnCspViolations ?? [], pwned: window.__kilnPwned }));
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations of impact serious or critical (injected through the debugger, so the CSP stays on). */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
  });
  return violations;
}

declare global {
  interface Window {
    axe: typeof import('axe-core');
  }
}

/** Where screenshots go (gitignored); look at them to see the pages as a person would. */
export const screenshotDir = join(__dirname, '..', 'screenshots');
