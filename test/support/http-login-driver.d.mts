/** Types of http-login-driver.mjs: a fetch-based fake browser for oidc-provider's login pages. */
import type { LoginDriver } from './browser-driver.mjs';

/**
 * Opens `url` like a browser and logs in on oidc-provider's devInteractions pages; resolves with
 * the final page (authenticated when it is the CLI's success page).
 */
export declare const loginWithHttpDriver: LoginDriver;
