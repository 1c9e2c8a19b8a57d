/**
 * Headless Chromium for the browser benchmark and the browser tests (test/support/browsers.ts):
 * Debian's `chromium` package (or CHROMIUM_PATH), driven by playwright-core, with a fresh profile each
 * launch.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why Chromium cannot run here, or undefined when it can. */
export const chromiumMissing = (): string | undefined =>
  existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}: \`apt-get install chromium\` (or set CHROMIUM_PATH) to run it`;

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport?: { width: number; height: number }): Promise<Chromium> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'smpcall-chromium-'));
  const removeProfile = (): void => rmSync(profile, { recursive: true, force: true });
  try {
    // Nothing reaches the network but 127.0.0.1.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      ...(viewport ? { viewport } : {}),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return {
      context,
      close: async () => {
        await context.close();
        removeProfile();
      },
    };
  } catch (e) {
    removeProfile();
    throw e;
  }
}
