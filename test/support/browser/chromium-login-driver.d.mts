/** Types of chromium-login-driver.mjs: headless Chromium as the browser of a login. */
import type { Page } from 'playwright-core';
import type { LoginDriver } from './browser-driver.mjs';

/** Where Debian's `chromium` package installs the browser. */
export declare const CHROMIUM_PATH: string;

/** Logs in through headless Chromium; only the approve mode is supported. */
export declare const loginWithChromium: LoginDriver;

/** Runs `action` on a page of a freshly launched headless Chromium, closing it afterwards. */
export declare function withChromiumPage<T>(action: (page: Page) => Promise<T>): Promise<T>;

/** On oidc-provider's devInteractions login page: signs in as `user` and consents. */
export declare function signInAndConsent(page: Page, user: string): Promise<void>;

/** Waits until the page's title is `title`; false when it is not by the timeout. */
export declare function waitForTitle(page: Page, title: string): Promise<boolean>;
