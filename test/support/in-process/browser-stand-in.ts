/**
 * The browser of an in-process run (Deps.openBrowser): a `--browser-command` naming one of the
 * fake browsers (browser/drivers.ts) runs that driver inside the test process, with the run's
 * environment (LOGIN_USER, LOGIN_MODE, LOGIN_LOG, LOGIN_DELAY_MS, URL_LOG), instead of starting
 * a process. Anything else (no command, another command, --skip-open-browser) goes to the CLI's
 * own openBrowser, so what a person would see is unchanged.
 */
import type { OpenBrowser } from '../../../src/io/browser.ts';
import { openBrowser } from '../../../src/io/browser.ts';
import { type BrowserRunOutcome, runBrowserDriver } from '../browser/browser-driver.mjs';
import { approveDeviceWithChromium } from '../browser/chromium-device-approval.mjs';
import { loginWithChromium } from '../browser/chromium-login-driver.mjs';
import { approveDeviceWithHttp, DEVICE_SUCCESS_TITLE } from '../browser/device-approval.mjs';
import {
  CHROMIUM_DEVICE_APPROVE_COMMAND,
  CHROMIUM_LOGIN_COMMAND,
  HTTP_DEVICE_APPROVE_COMMAND,
  HTTP_LOGIN_COMMAND,
  RECORD_URL_COMMAND,
} from '../browser/drivers.ts';
import { loginWithHttpDriver } from '../browser/http-login-driver.mjs';
import { recordUrl } from '../browser/record-url.mjs';

/** What each fake browser's executable does, as a function of the URL and the environment. */
const IN_PROCESS_BROWSERS: ReadonlyMap<string, (url: string, env: NodeJS.ProcessEnv) => Promise<BrowserRunOutcome>> =
  new Map([
    [HTTP_LOGIN_COMMAND, (url, env) => runBrowserDriver(loginWithHttpDriver, url, env)],
    [CHROMIUM_LOGIN_COMMAND, (url, env) => runBrowserDriver(loginWithChromium, url, env)],
    [
      HTTP_DEVICE_APPROVE_COMMAND,
      (url, env) => runBrowserDriver(approveDeviceWithHttp, url, env, { successTitle: DEVICE_SUCCESS_TITLE }),
    ],
    [
      CHROMIUM_DEVICE_APPROVE_COMMAND,
      (url, env) => runBrowserDriver(approveDeviceWithChromium, url, env, { successTitle: DEVICE_SUCCESS_TITLE }),
    ],
    [
      RECORD_URL_COMMAND,
      async (url, env) => {
        recordUrl(url, env);
        return { exitCode: 0 };
      },
    ],
  ]);

/** The browser of one in-process run, and what its fake browsers did. */
export interface BrowserStandIn {
  openBrowser: OpenBrowser;
  /** Resolves when every fake browser this run started has finished, with their failures (empty when all logged in). */
  settled(): Promise<string[]>;
}

/** A browser for one run in `env`; see the module comment. */
export function browserStandIn(env: NodeJS.ProcessEnv): BrowserStandIn {
  const runs: Promise<string | undefined>[] = [];
  return {
    openBrowser: async (url, settings, logger) => {
      const driver = settings.skipOpenBrowser ? undefined : IN_PROCESS_BROWSERS.get(settings.browserCommand ?? '');
      if (driver === undefined) return openBrowser(url, settings, env, logger);
      runs.push(
        driver(url, env).then(
          (outcome) => (outcome.exitCode === 0 ? undefined : `${settings.browserCommand}: ${outcome.message}`),
          (error: unknown) => `${settings.browserCommand}: ${String(error)}`,
        ),
      );
    },
    settled: async () => (await Promise.all(runs)).filter((failure) => failure !== undefined),
  };
}
