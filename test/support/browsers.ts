/**
 * The browsers the browser tests run in, behind one small page API so the same test bodies drive both:
 * Chromium through playwright-core (CDP) and Firefox through puppeteer-core (WebDriver BiDi). Each
 * uses the system's binary (Debian's `chromium` and `firefox-esr`, or CHROMIUM_PATH / FIREFOX_PATH)
 * and is skipped, saying how to install it, where that binary is absent (Firefox also where it is
 * older than 145, without Atomics.waitAsync). Each run gets a fresh temporary profile, and nothing
 * reaches the network but 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Page as PlaywrightPage } from 'playwright-core';
import { CHROMIUM, launchChromium } from '#internal/bench/browser/chromium.js';
import puppeteer, { type Page as PuppeteerPage } from 'puppeteer-core';

export interface WaitOptions {
  timeout: number;
}

/** What the browser tests do with a page; the page-side functions are serialized into the browser. */
export interface BrowserPage {
  goto(url: string): Promise<void>;
  click(selector: string): Promise<void>;
  fill(selector: string, value: string): Promise<void>;
  textContent(selector: string): Promise<string | null>;
  getAttribute(selector: string, name: string): Promise<string | null>;
  evaluate<R, A = undefined>(fn: (arg: A) => R, arg?: A): Promise<Awaited<R>>;
  waitForSelector(selector: string, options: WaitOptions): Promise<void>;
  /** Wait until `fn(arg)`, run in the page, is truthy. */
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, options: WaitOptions): Promise<void>;
  screenshot(options: { path: string; fullPage: boolean }): Promise<void>;
  /** Called with the message of each error the page throws and does not catch. */
  onPageError(fn: (message: string) => void): void;
  close(): Promise<void>;
}

export interface LaunchedBrowser {
  newPage(): Promise<BrowserPage>;
  /** Close the browser and delete its profile. */
  close(): Promise<void>;
}

export interface Engine {
  name: 'chromium' | 'firefox';
  /** false, or why this engine's tests are skipped here. */
  skip: false | string;
  launch(): Promise<LaunchedBrowser>;
}

const VIEWPORT = { width: 1280, height: 900 };
// The arguments the tests pass are plain values (no element handles), which neither library's typing of
// page functions can see through generics: the adapters hand the functions on as this.
type PageFunction = (arg: unknown) => unknown;

const missing = (what: string, path: string, pkg: string, env: string): false | string =>
  existsSync(path) ? false : `no ${what} at ${path}: run \`apt-get install ${pkg}\` (or set ${env}) to run the browser tests in ${what}`;


const chromium: Engine = {
  name: 'chromium',
  skip: missing('Chromium', CHROMIUM, 'chromium', 'CHROMIUM_PATH'),
  async launch() {
    const { context, close } = await launchChromium(VIEWPORT);
    return { newPage: async () => playwrightPage(await context.newPage()), close };
  },
};

function playwrightPage(page: PlaywrightPage): BrowserPage {
  return {
    goto: async (url) => void (await page.goto(url)),
    click: (selector) => page.click(selector),
    fill: (selector, value) => page.fill(selector, value),
    textContent: (selector) => page.textContent(selector),
    getAttribute: (selector, name) => page.getAttribute(selector, name),
    evaluate: (fn, arg) => page.evaluate(fn as PageFunction, arg) as Promise<never>,
    waitForSelector: async (selector, options) => void (await page.waitForSelector(selector, options)),
    waitForFunction: async (fn, arg, options) => void (await page.waitForFunction(fn as PageFunction, arg, options)),
    screenshot: async (options) => void (await page.screenshot(options)),
    onPageError: (fn) => page.on('pageerror', (e) => fn(e.message)),
    close: () => page.close(),
  };
}

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The first Firefox with Atomics.waitAsync, without which start() refuses (Firefox 140 ESR has none). */
const FIREFOX_WAIT_ASYNC = 145;

/** Why this Firefox cannot run smpcall, or false (also when its version does not parse: then try it). */
function firefoxTooOld(path: string): false | string {
  const major = Number(/Firefox (\d+)\./.exec(spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1]);
  return major < FIREFOX_WAIT_ASYNC
    ? `Firefox ${major} at ${path} has no Atomics.waitAsync, which smpcall needs (Firefox ${FIREFOX_WAIT_ASYNC} and later have it): install a newer firefox-esr (or set FIREFOX_PATH)`
    : false;
}

const firefox: Engine = {
  name: 'firefox',
  skip: missing('Firefox', FIREFOX, 'firefox-esr', 'FIREFOX_PATH') || firefoxTooOld(FIREFOX),
  async launch() {
    // puppeteer makes the profile (in the temporary folder, with its prefs that turn off updates,
    // telemetry and the like) and deletes it on close.
    const browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: FIREFOX,
      headless: true,
      defaultViewport: VIEWPORT,
      // Firefox's test switch: it refuses every connection (and DNS lookup) that is not to the
      // loopback, and it honours puppeteer's dummy remote-settings server, which a release build
      // otherwise ignores to poll firefox.settings.services.mozilla.com.
      env: { ...process.env, MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    });
    return {
      newPage: async () => puppeteerPage(await browser.newPage()),
      close: () => browser.close(),
    };
  },
};

function puppeteerPage(page: PuppeteerPage): BrowserPage {
  return {
    goto: async (url) => void (await page.goto(url)),
    click: (selector) => page.click(selector),
    fill: (selector, value) => page.locator(selector).fill(value),
    textContent: (selector) => page.$eval(selector, (e) => e.textContent),
    getAttribute: (selector, name) => page.$eval(selector, (e, n) => e.getAttribute(n), name),
    evaluate: (fn, arg) => page.evaluate(fn as PageFunction, arg) as Promise<never>,
    waitForSelector: async (selector, options) => void (await page.waitForSelector(selector, options)),
    // puppeteer takes the options before the arguments, playwright after its one argument.
    waitForFunction: async (fn, arg, options) => void (await page.waitForFunction(fn as PageFunction, options, arg)),
    screenshot: async (options) => void (await page.screenshot(options)),
    onPageError: (fn) => page.on('pageerror', (e) => fn(e instanceof Error ? e.message : String(e))),
    close: () => page.close(),
  };
}

/** Every engine, each with `skip` set where its browser is not installed. */
export const engines: readonly Engine[] = [chromium, firefox];
