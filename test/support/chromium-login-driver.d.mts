/** Types of chromium-login-driver.mjs: headless Chromium as the browser of a login. */
import type { LoginDriver } from './browser-driver.mjs';

/** Where Debian's `chromium` package installs the browser. */
export declare const CHROMIUM_PATH: string;

/** Logs in through headless Chromium; only the approve mode is supported. */
export declare const loginWithChromium: LoginDriver;
