// @ts-check
/**
 * What the fake browsers share: their options, their result, and the executable contract the CLI
 * relies on (`--browser-command=<bin>`, the URL as the only argument, nothing on stdout).
 * Plain JavaScript, typed with JSDoc, so that the executables run without a TypeScript loader.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How a fake browser answers the provider: log in and consent, abort, or tamper with `state`.
 * @typedef {'approve' | 'deny' | 'tamper-state'} LoginMode
 */

/**
 * Options of a login driver.
 * @typedef {object} LoginOptions
 * @property {string} [user] Login name typed into the provider's form (default alice).
 * @property {LoginMode} [mode] Default approve; a driver throws on a mode it does not support.
 */

/**
 * Where a login driver ended.
 * @typedef {object} LoginResult
 * @property {boolean} authenticated The final page is the CLI's success page (or the page the driver aims at).
 * @property {string} url URL of the final page.
 * @property {string} html HTML of the final page.
 */

/**
 * A login driver: opens `url` and goes through the provider's pages.
 * @typedef {(url: string, options?: LoginOptions) => Promise<LoginResult>} LoginDriver
 */

/**
 * Options of {@link runBrowserExecutable}.
 * @typedef {object} BrowserExecutableOptions
 * @property {string} [successTitle] Title of the page the driver must reach, for the failure message (default AUTHENTICATED_TITLE).
 */

/** The login used when none is given (LOGIN_USER). */
export const DEFAULT_LOGIN_USER = 'alice';

/** The title of the page the CLI shows after a successful login. */
export const AUTHENTICATED_TITLE = 'Authenticated';

/**
 * The values of LOGIN_MODE; `none` only records the invocation.
 * @type {ReadonlyArray<LoginMode | 'none'>}
 */
export const LOGIN_MODES = ['approve', 'deny', 'tamper-state', 'none'];

/** Exit status for a misuse of the executable, as opposed to a failed login (1). */
const USAGE_EXIT_CODE = 2;

/**
 * Returns `url` with every query value replaced, so that logs hold no codes or states.
 * @param {string} url
 * @returns {string}
 */
export function redactUrl(url) {
  const parsed = new URL(url);
  const names = [...parsed.searchParams.keys()];
  const query = names.length === 0 ? '' : `?${names.map((name) => `${name}=REDACTED`).join('&')}`;
  return `${parsed.origin}${parsed.pathname}${query}`;
}

/**
 * True when `html` is the CLI's success page.
 * @param {string} html
 * @returns {boolean}
 */
export function isAuthenticatedPage(html) {
  return html.includes(`<title>${AUTHENTICATED_TITLE}</title>`);
}

/**
 * True when `mode` is one of {@link LOGIN_MODES}.
 * @param {string} mode
 * @returns {mode is LoginMode | 'none'}
 */
function isLoginMode(mode) {
  return /** @type {ReadonlyArray<string>} */ (LOGIN_MODES).includes(mode);
}

/**
 * Reads LOGIN_USER, LOGIN_MODE, LOGIN_LOG and LOGIN_DELAY_MS; throws on an unknown mode or a bad delay.
 * @param {NodeJS.ProcessEnv} env
 */
function readLoginEnv(env) {
  const mode = env.LOGIN_MODE || 'approve';
  if (!isLoginMode(mode)) {
    throw new Error(`LOGIN_MODE must be one of ${LOGIN_MODES.join(', ')}, not ${mode}`);
  }
  const delayMs = Number(env.LOGIN_DELAY_MS || 0);
  if (!Number.isFinite(delayMs) || delayMs < 0)
    throw new Error(`LOGIN_DELAY_MS must be a number of milliseconds, not ${env.LOGIN_DELAY_MS}`);
  return { user: env.LOGIN_USER || DEFAULT_LOGIN_USER, mode, logPath: env.LOGIN_LOG || undefined, delayMs };
}

/**
 * The body of a fake-browser executable: records the invocation in LOGIN_LOG, waits LOGIN_DELAY_MS
 * (default 0, e.g. so that a test sees the CLI poll), then logs in with `login(url, { user, mode })`
 * unless LOGIN_MODE is `none`. Sets the exit status: 0 when the driver reports `authenticated`
 * (the page titled `successTitle`, by default the CLI's success page), 1 otherwise (with the page
 * or error on stderr), 2 on misuse.
 * @param {LoginDriver} login
 * @param {BrowserExecutableOptions} [options]
 * @returns {Promise<void>}
 */
export async function runBrowserExecutable(login, { successTitle = AUTHENTICATED_TITLE } = {}) {
  const args = process.argv.slice(2);
  const [url] = args;
  let options;
  try {
    if (args.length !== 1 || url === undefined) throw new Error(`usage: ${process.argv[1]} <url>`);
    options = readLoginEnv(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exitCode = USAGE_EXIT_CODE;
    return;
  }
  if (options.logPath) appendFileSync(options.logPath, `${redactUrl(url)}\n`);
  if (options.mode === 'none') return;
  await sleep(options.delayMs);
  try {
    const result = await login(url, { user: options.user, mode: options.mode });
    if (!result.authenticated) {
      process.stderr.write(
        `login did not reach the "${successTitle}" page; last page ${result.url}:\n${result.html}\n`,
      );
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`login failed: ${error instanceof Error ? (error.stack ?? error) : error}\n`);
    process.exitCode = 1;
  }
}
