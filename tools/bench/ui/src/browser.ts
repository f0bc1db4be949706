/**
 * Debian's Chromium driven by playwright-core, started the way apps/ui's
 * browser tests start it: both go through @kiln/testing/chromium (same binary,
 * same flags, a fresh profile).
 */
import { launchChromium, type ChromiumBrowser } from '@kiln/testing/chromium';

export type BenchBrowser = ChromiumBrowser;

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
export function launchBrowser(): Promise<BenchBrowser> {
  return launchChromium({ profilePrefix: 'kiln-bench-ui-chromium-' });
}
