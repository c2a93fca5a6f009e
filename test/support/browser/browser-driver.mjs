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
 * How a fake browser's run ended: exit code 0 when the driver reached the success page, 1 when the
 * login failed (with the page or error), 2 on misuse.
 * @typedef {object} BrowserRunOutcome
 * @property {0 | 1 | 2} exitCode
 * @property {string} [message] Why it failed.
 */

/**
 * One run of a fake browser opened at `url` in `env`: records the invocation in LOGIN_LOG, waits
 * LOGIN_DELAY_MS (default 0, e.g. so that a test sees the CLI poll), then logs in with
 * `login(url, { user, mode })` unless LOGIN_MODE is `none`. Success is the page titled
 * `successTitle`, by default the CLI's success page. Shared by the executables (a subprocess per
 * run) and the in-process stand-in of the browser (test/support/in-process/browser-stand-in.ts).
 * @param {LoginDriver} login
 * @param {string | undefined} url
 * @param {NodeJS.ProcessEnv} env
 * @param {BrowserExecutableOptions} [options]
 * @returns {Promise<BrowserRunOutcome>}
 */
export async function runBrowserDriver(login, url, env, { successTitle = AUTHENTICATED_TITLE } = {}) {
  let options;
  try {
    if (url === undefined) throw new Error('usage: <browser> <url>');
    options = readLoginEnv(env);
  } catch (error) {
    return { exitCode: USAGE_EXIT_CODE, message: error instanceof Error ? error.message : String(error) };
  }
  if (options.logPath) appendFileSync(options.logPath, `${redactUrl(url)}\n`);
  if (options.mode === 'none') return { exitCode: 0 };
  await sleep(options.delayMs);
  try {
    const result = await login(url, { user: options.user, mode: options.mode });
    if (result.authenticated) return { exitCode: 0 };
    return {
      exitCode: 1,
      message: `login did not reach the "${successTitle}" page; last page ${result.url}:\n${result.html}`,
    };
  } catch (error) {
    return { exitCode: 1, message: `login failed: ${error instanceof Error ? (error.stack ?? error) : error}` };
  }
}

/**
 * The body of a fake-browser executable: {@link runBrowserDriver} with the one argument, the URL,
 * and the process's environment; sets the exit status and writes why on stderr.
 * @param {LoginDriver} login
 * @param {BrowserExecutableOptions} [options]
 * @returns {Promise<void>}
 */
export async function runBrowserExecutable(login, options = {}) {
  const args = process.argv.slice(2);
  const outcome = await runBrowserDriver(login, args.length === 1 ? args[0] : undefined, process.env, options);
  if (outcome.message !== undefined) process.stderr.write(`${outcome.message}\n`);
  process.exitCode = outcome.exitCode;
}
