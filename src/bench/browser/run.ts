/**
 * The browser benchmark's driver (`npm run bench -- --sessions browser`, and part of the full run):
 * serves the repository as the browser demo does (examples/browser/serve.ts, which the build compiles
 * into dist-test), opens examples/browser-bench/ in headless Chromium `loads` times, a fresh page each,
 * and keeps the median of every figure over the loads.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { firstLine } from '../rounds.js';
import { chromiumMissing, launchChromium, type Chromium } from './chromium.js';
import { mergeLoads, type BrowserRun, type PageResults } from './results.js';

// dist/bench/browser/run.js → dist-test/examples/browser/serve.js
const SERVE = new URL('../../../dist-test/examples/browser/serve.js', import.meta.url);

interface Served {
  url: string;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** Interleaved rounds per group, on each page load. */
  rounds: number;
  /** Milliseconds one batch of a contender takes. */
  batchMs: number;
  /** Minimum warm-up per contender (ms). */
  warmupMs: number;
  /** Fresh page loads; each figure is the median over them. */
  loads: number;
  onProgress?: (f: number, label: string) => void;
}

/** A load takes about 12 contenders × (warm-up + rounds × batch); one still running at four times that, plus a minute to start, has hung. */
const loadTimeoutMs = (o: BrowserOptions): number => 60_000 + 12 * 4 * (o.warmupMs + o.rounds * o.batchMs);

async function loadOnce(context: BrowserContext, url: string, timeoutMs: number): Promise<PageResults> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(url);
    await page.waitForSelector('body[data-done]', { state: 'attached', timeout: timeoutMs });
    const results = (await page.evaluate(() => (globalThis as { benchResults?: unknown }).benchResults)) as PageResults | { error: string };
    if ('error' in results) throw new Error(`the page failed: ${results.error}`);
    return results;
  } catch (e) {
    if (errors.length > 0) throw new Error(`${firstLine(e)} (page errors: ${errors.join('; ')})`);
    throw e;
  } finally {
    await page.close();
  }
}

export async function runBrowserBench(o: BrowserOptions): Promise<BrowserRun> {
  const t0 = Date.now();
  const { rounds, batchMs, warmupMs, loads } = o;
  const run: BrowserRun = { settings: { rounds, batchMs, warmupMs, loads }, loads: 0, pageSeconds: [], seconds: 0, groups: [] };
  const skipped = chromiumMissing() ?? (existsSync(fileURLToPath(SERVE)) ? undefined : `it serves the repository's example pages (${fileURLToPath(SERVE)}), which an installed package does not ship: run it from a clone, where \`npm run build\` compiles them`);
  if (skipped) return { ...run, skipped };
  let served: Served | undefined;
  let chromium: Chromium | undefined;
  try {
    served = await ((await import(SERVE.href)) as { serve(port: number): Promise<Served> }).serve(0);
    chromium = await launchChromium();
    const url = new URL(`../browser-bench/?rounds=${rounds}&batchMs=${batchMs}&warmupMs=${warmupMs}`, served.url).href;
    const pages: PageResults[] = [];
    for (let k = 0; k < loads; k++) {
      o.onProgress?.(k / loads, `page load ${k + 1} of ${loads}`);
      pages.push(await loadOnce(chromium.context, url, loadTimeoutMs(o)));
    }
    Object.assign(run, mergeLoads(pages));
  } catch (e) {
    run.failed = firstLine(e);
  } finally {
    await chromium?.close();
    await served?.close();
  }
  run.seconds = (Date.now() - t0) / 1000;
  return run;
}
