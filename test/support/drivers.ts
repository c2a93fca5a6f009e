/**
 * Paths of the fake-browser executables, for `--browser-command` (the CLI runs `<command> <url>`).
 * Each honours LOGIN_USER, LOGIN_MODE, LOGIN_LOG and LOGIN_DELAY_MS (see browser-driver.mjs).
 */
import { fileURLToPath } from 'node:url';

export { CHROMIUM_LOGIN_COMMAND, HTTP_LOGIN_COMMAND } from './run-cli.ts';

/** Approves (LOGIN_MODE=approve) or denies (deny) a device authorization over plain HTTP. */
export const HTTP_DEVICE_APPROVE_COMMAND = fileURLToPath(new URL('./bin/http-device-approve.mjs', import.meta.url));
/** Approves a device authorization in headless Chromium. */
export const CHROMIUM_DEVICE_APPROVE_COMMAND = fileURLToPath(new URL('./bin/chromium-device-approve.mjs', import.meta.url));
