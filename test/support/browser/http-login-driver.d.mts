/** Types of http-login-driver.mjs: a fetch-based fake browser for oidc-provider's login pages. */
import type { LoginDriver, LoginOptions } from './browser-driver.mjs';
import type { PageRequest } from './http-browser.mjs';

/**
 * Opens `url` like a browser and logs in on oidc-provider's devInteractions pages; resolves with
 * the final page (authenticated when it is the CLI's success page).
 */
export declare const loginWithHttpDriver: LoginDriver;

/** The request answering a devInteractions login or consent page, or undefined for any other page. */
export declare function answerLoginPages(
  html: string,
  pageUrl: URL,
  options: Required<LoginOptions>,
): PageRequest | undefined;
