// @ts-check
/**
 * A real headless browser (Debian's Chromium driven by playwright-core) that logs in on
 * oidc-provider's devInteractions pages and waits for the CLI's success page.
 */
import { chromium } from 'playwright-core';
import { AUTHENTICATED_TITLE, DEFAULT_LOGIN_USER } from './browser-driver.mjs';

/** @import { Page } from 'playwright-core' */
/** @import { LoginOptions, LoginResult } from './browser-driver.mjs' */

/**
 * The part of the page's `window` that {@link waitForTitle} reads in the browser (this project's
 * types have no DOM).
 * @typedef {{ document: { title: string } }} TitledWindow
 */

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, sandbox-free headless Chromium that talks to nothing but the test servers. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
/** How long the whole login may take; it normally takes about a second. */
const LOGIN_TIMEOUT_MS = 30_000;
/** devInteractions accepts any password. */
const PASSWORD = 'x';

/**
 * Launches headless Chromium, runs `action(page)` on a new page (every wait bounded by the login
 * timeout) and closes the browser whatever happens; resolves with what `action` resolves with.
 * @template T
 * @param {(page: Page) => Promise<T>} action
 * @returns {Promise<T>}
 */
export async function withChromiumPage(action) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: LOGIN_TIMEOUT_MS,
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(LOGIN_TIMEOUT_MS);
    return await action(page);
  } finally {
    await browser.close();
  }
}

/**
 * On a page showing oidc-provider's devInteractions login form: signs in as `user` and consents.
 * @param {Page} page
 * @param {string} user
 * @returns {Promise<void>}
 */
export async function signInAndConsent(page, user) {
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('input[name="prompt"][value="consent"]', { state: 'attached' });
  await page.click('button[type="submit"]');
}

/**
 * Waits until the page's title is `title`; resolves false when it is not by the timeout.
 * @param {Page} page
 * @param {string} title
 * @returns {Promise<boolean>}
 */
export function waitForTitle(page, title) {
  const titleIs = (/** @type {string} */ expected) =>
    /** @type {TitledWindow} */ (/** @type {unknown} */ (globalThis)).document.title === expected;
  return page.waitForFunction(titleIs, title).then(
    () => true,
    () => false,
  );
}

/**
 * Opens `url` in headless Chromium, signs in as `user`, consents, and resolves with the final page
 * (authenticated when its title is the CLI's success title). Only the approve mode is supported.
 * @param {string} url
 * @param {LoginOptions} [options]
 * @returns {Promise<LoginResult>}
 */
export async function loginWithChromium(url, { user = DEFAULT_LOGIN_USER, mode = 'approve' } = {}) {
  if (mode !== 'approve') throw new Error(`the Chromium driver supports only LOGIN_MODE=approve, not ${mode}`);
  return withChromiumPage(async (page) => {
    await page.goto(url);
    await signInAndConsent(page, user);
    const authenticated = await waitForTitle(page, AUTHENTICATED_TITLE);
    return { authenticated, url: page.url(), html: await page.content() };
  });
}
