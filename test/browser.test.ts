/**
 * The browser demo (examples/browser/) in every browser engine of test/support/browsers.ts: headless
 * Chromium (Debian's `chromium`, driven by playwright-core) and headless Firefox (Debian's
 * `firefox-esr`, driven by puppeteer-core over WebDriver BiDi). An engine whose browser is not
 * installed (or, Firefox, is too old to have Atomics.waitAsync) is skipped, saying what to install.
 * Each engine runs the demo three ways: as it is (plain ES modules, the library by path), and as Vite
 * and esbuild bundle it (examples/browser/bundle.ts, the README's recipe). Chromium's run of the plain
 * page writes a screenshot of the demo to bench/results/browser-demo.png.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type Served } from '../examples/browser/serve.js';
import { BUNDLERS, bundleDemo, type Bundler } from '../examples/browser/bundle.js';
import { engines, type BrowserPage, type Engine, type LaunchedBrowser } from './support/browsers.js';

// The page-side functions passed to page.evaluate / waitForFunction run in the browser; the Node build
// has no DOM types, so this is the little they use.
declare const document: { getElementById(id: string): { textContent: string | null } | null };
declare const location: { href: string };

const SCREENSHOT = fileURLToPath(new URL('../../bench/results/browser-demo.png', import.meta.url));
const WAIT = { timeout: 20_000 };

type Build = 'plain' | Bundler;
const BUILDS: Build[] = ['plain', ...BUNDLERS];
/** Each bundler's build, made once for every engine. */
const bundled = new Map<Bundler, Promise<string>>();
const built = (b: Bundler): Promise<string> => bundled.get(b) ?? (bundled.set(b, bundleDemo(b)), bundled.get(b)!);
/** Where a build of the demo is served (plain: examples/browser/ itself). */
const demoUrl = (served: Served, build: Build): string => (build === 'plain' ? served.url : new URL(`/dist-examples/${build}/`, served.url).href);

/** Click a button and wait for its output box to show a result. */
async function clickFor(page: BrowserPage, button: string, out: string): Promise<string> {
  await page.click(`#${button}`);
  await page.waitForFunction((id) => {
    const t = document.getElementById(id)?.textContent ?? '';
    return t !== '' && t !== '…';
  }, out, WAIT);
  return (await page.textContent(`#${out}`)) ?? '';
}

function demoTests(engine: Engine, build: Build): void {
  const { skip } = engine;
  const name = build === 'plain' ? engine.name : `${engine.name}, ${build} build`;
  if (skip && build === 'plain') console.log(`# browser tests skipped in ${engine.name}: ${skip}`);
  // One picture of the demo is enough: Chromium's, of the page as it is.
  const photograph = engine.name === 'chromium' && build === 'plain';
  const onlyPlain = { skip: skip || (build !== 'plain' && 'once is enough: the same page unbundled') };
  let served: Served | undefined;
  let browser: LaunchedBrowser | undefined;

  /** Open the demo and wait until its domain started (or failed to). */
  async function openDemo(url: string): Promise<{ page: BrowserPage; errors: string[] }> {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.onPageError((message) => errors.push(message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready]', WAIT);
    return { page, errors };
  }

  let url = '';
  before(async () => {
    if (skip) return;
    if (build !== 'plain') await built(build);
    served = await serve(0);
    url = demoUrl(served, build);
    browser = await engine.launch();
  });

  after(async () => {
    await browser?.close();
    await served?.close();
  });

  test(`${name}: a page served with the isolation headers is cross-origin isolated and starts a domain of two Web Workers`, { skip }, async () => {
    const { page, errors } = await openDemo(url);
    assert.equal(await page.getAttribute('body', 'data-ready'), 'yes', await page.textContent('#status') ?? '');
    assert.equal(await page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated), true);
    assert.match((await page.textContent('#status')) ?? '', /ready: 2 workers/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${name}: call, post, onEach and a nested worker-to-page call return their results in the browser`, { skip }, async () => {
    const { page } = await openDemo(url);
    await page.fill('#add-a', '40');
    await page.fill('#add-b', '2');
    assert.equal(await clickFor(page, 'btn-call', 'out-call'), '42');
    assert.equal(await clickFor(page, 'btn-post', 'out-post'), 'ticks counted on agent 2: 10');
    assert.equal(await clickFor(page, 'btn-each', 'out-each'), 'agents answered: [0,1,2]');
    assert.equal(await clickFor(page, 'btn-nested', 'out-nested'), 'agent 0 (the page) answers "ping?"');
    await page.close();
  });

  test(`${name}: callSync on the page's main thread fails with ERR_SMPCALL_SYNC_UNAVAILABLE, and the page says so`, { skip }, async () => {
    const { page } = await openDemo(url);
    // Shown at load, and again on click.
    assert.match((await page.textContent('#out-sync')) ?? '', /^ERR_SMPCALL_SYNC_UNAVAILABLE: callSync is impossible on this thread/);
    const code = await page.evaluate(() => {
      const { domain } = (globalThis as unknown as { smpcallDemo: { domain: { callSync(t: number, n: string, ...a: unknown[]): unknown } } }).smpcallDemo;
      try {
        domain.callSync(1, 'add', 1, 2);
        return 'no error';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    });
    assert.equal(code, 'ERR_SMPCALL_SYNC_UNAVAILABLE');
    await page.close();
  });

  test(`${name}: a Web Worker that ends mid-call fails its caller with ERR_SMPCALL_AGENT_GONE, and a fresh worker takes over its id`, { skip }, async () => {
    const { page } = await openDemo(url);
    const text = await clickFor(page, 'btn-crash', 'out-crash');
    assert.match(text, /^ERR_SMPCALL_AGENT_GONE: agent 2 /);
    assert.match(text, /restarted: hello again from agent 2$/);
    await page.close();
  });

  test(`${name}: 40 posts in a row from the page through 4 slots to a worker busy 20 ms per call all run, none throws`, { skip }, async () => {
    // The page's main thread may not block: a post that finds its 4 slots all in flight waits for one
    // by spinning on its bell (never Atomics.wait, which would throw a TypeError here), up to slotWaitMs.
    const { page } = await openDemo(url);
    const result = await page.evaluate(async () => {
      type Started = { post(t: number, n: string, ...a: unknown[]): void; call(t: number, n: string, ...a: unknown[]): Promise<unknown>; close(): Promise<void> };
      const demo = (globalThis as unknown as { smpcallDemo: { start(o: object): Promise<Started> } }).smpcallDemo;
      const d = await demo.start({ workers: 1, slotsPerAgent: 4 });
      const thrown: string[] = [];
      for (let i = 0; i < 40; i++) {
        try {
          d.post(1, 'slowTick', 20);
        } catch (e) {
          thrown.push(`${(e as { code?: string }).code ?? ''} ${(e as Error).message}`);
        }
      }
      const ticks = await d.call(1, 'ticks');
      await d.close();
      return { thrown, ticks };
    });
    assert.deepEqual(result.thrown, []);
    assert.equal(result.ticks, 40);
    await page.close();
  });

  test(`${name}: the live latency table fills with round-trip times${photograph ? ', and the demo is photographed' : ''}`, { skip }, async (t) => {
    const { page, errors } = await openDemo(url);
    // Fill the other boxes too, so the screenshot shows the whole demo working.
    for (const b of ['call', 'post', 'each', 'nested', 'crash']) await clickFor(page, `btn-${b}`, `out-${b}`);
    await page.click('#btn-latency');
    // Warm-up (about 0.3 s per row), then rounds of about 20 ms per row.
    await page.waitForFunction(() => Number(document.getElementById('lat-count')?.textContent) >= 5, null, WAIT);
    for (const id of ['lat-call', 'lat-post', 'lat-w2p', 'lat-w2w', 'lat-floor']) {
      const shown = (await page.textContent(`#${id}`)) ?? '';
      assert.match(shown, /^\d+\.\d+ µs$/, `${id} shows a number of microseconds`);
      assert.ok(Number.parseFloat(shown) > 0, `${id} is positive`);
    }
    assert.match((await page.textContent('#lat-ratio')) ?? '', /^\d+\.\d× faster$/);
    await page.click('#btn-latency');
    if (photograph) {
      mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      t.diagnostic(`screenshot: ${SCREENSHOT}`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${name}: a page that names its calls module by URL gets the library's own worker module, from the ES build and from the package's browser build`, onlyPlain, async () => {
    const { page } = await openDemo(url);
    const results = await page.evaluate(async () => {
      const out: unknown[] = [];
      for (const library of ['../../dist/index.js', '../../dist/bundle/browser/index.js']) {
        type Started = { post(t: number, n: string, ...a: unknown[]): void; call(t: number, n: string, ...a: unknown[]): Promise<unknown>; close(): Promise<void> };
        const { start } = (await import(new URL(library, location.href).href)) as { start(o: object): Promise<Started> };
        const d = await start({ workers: 1, calls: new URL('./calls.js', location.href) });
        for (let i = 0; i < 5; i++) d.post(1, 'tick');
        out.push([await d.call(1, 'greet', 'url'), await d.call(1, 'ticks')]);
        await d.close();
      }
      return out;
    });
    assert.deepEqual(results, [
      ['hello url from agent 1', 5],
      ['hello url from agent 1', 5],
    ]);
    await page.close();
  });

  test(`${name}: a worker option that makes no Web Worker, or a worker whose module never calls serveCalls, fails start() saying so`, onlyPlain, async () => {
    const { page } = await openDemo(url);
    const failures = await page.evaluate(async () => {
      const { start } = (globalThis as unknown as { smpcallDemo: { start(o: object): Promise<{ close(): Promise<void> }> } }).smpcallDemo;
      const echo = new URL('./echo-worker.js', location.href);
      const out: string[] = [];
      for (const worker of [() => 42, () => new (globalThis as unknown as { Worker: new (u: URL, o: object) => unknown }).Worker(echo, { type: 'module' })]) {
        try {
          await (await start({ workers: 1, worker, startTimeoutMs: 1000 })).close();
          out.push('started');
        } catch (e) {
          out.push(`${(e as { code?: string }).code}: ${(e as Error).message}`);
        }
      }
      return out;
    });
    assert.equal(failures.length, 2);
    assert.match(failures[0]!, /^ERR_SMPCALL_START_FAILED: .*worker\(1\) must return a Web Worker .*got number/);
    assert.match(failures[1]!, /^ERR_SMPCALL_START_FAILED: .*not every worker was serving after 1000 ms \(does the worker's module call serveCalls\(calls\) from 'smpcall\/web-worker'\?\)/);
    await page.close();
  });

  test(`${name}: without the isolation headers the page has no SharedArrayBuffer and start() says which headers it needs`, onlyPlain, async () => {
    const plain = await serve(0, { isolated: false });
    try {
      const { page } = await openDemo(plain.url);
      assert.equal(await page.getAttribute('body', 'data-ready'), 'failed');
      const status = (await page.textContent('#status')) ?? '';
      assert.match(status, /ERR_SMPCALL_START_FAILED/);
      assert.match(status, /Cross-Origin-Opener-Policy: same-origin/);
      assert.match(status, /Cross-Origin-Embedder-Policy: require-corp/);
      await page.close();
    } finally {
      await plain.close();
    }
  });
}

// One suite per engine and build, each with its own browser: they run one after another, Chromium's first.
for (const engine of engines) for (const build of BUILDS) describe(`${engine.name} ${build}`, () => demoTests(engine, build));
