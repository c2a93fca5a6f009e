/**
 * Paths of the fake-browser executables, for `--browser-command` (the CLI runs `<command> <url>`)
 * or BROWSER: the one place that names them. Each honours LOGIN_USER, LOGIN_MODE, LOGIN_LOG and
 * LOGIN_DELAY_MS (see browser-driver.mjs).
 */
import { fileURLToPath } from 'node:url';

/** Logs in (LOGIN_MODE=approve), denies (deny) or tampers with `state` (tamper-state) over plain HTTP. */
export const HTTP_LOGIN_COMMAND = fileURLToPath(new URL('./bin/http-login.mjs', import.meta.url));
/** Logs in with headless Chromium. */
export const CHROMIUM_LOGIN_COMMAND = fileURLToPath(new URL('./bin/chromium-login.mjs', import.meta.url));
/** Approves (LOGIN_MODE=approve) or denies (deny) a device authorization over plain HTTP. */
export const HTTP_DEVICE_APPROVE_COMMAND = fileURLToPath(new URL('./bin/http-device-approve.mjs', import.meta.url));
/** Approves a device authorization in headless Chromium. */
export const CHROMIUM_DEVICE_APPROVE_COMMAND = fileURLToPath(
  new URL('./bin/chromium-device-approve.mjs', import.meta.url),
);
/** Opens nothing: appends the URL to the file URL_LOG names, for a test to read. */
export const RECORD_URL_COMMAND = fileURLToPath(new URL('./bin/record-url.mjs', import.meta.url));
