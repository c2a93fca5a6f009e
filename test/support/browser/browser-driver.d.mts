/** Types of browser-driver.mjs: what the fake browsers share. */

/** How a fake browser answers the provider: log in and consent, abort, or tamper with `state`. */
export type LoginMode = 'approve' | 'deny' | 'tamper-state';

/** Options of a login driver. */
export interface LoginOptions {
  /** Login name typed into the provider's form (default alice). */
  user?: string;
  /** Default approve. */
  mode?: LoginMode;
}

/** Where a login driver ended. */
export interface LoginResult {
  /** The final page is the CLI's success page. */
  authenticated: boolean;
  /** URL of the final page. */
  url: string;
  /** HTML of the final page. */
  html: string;
}

/** A login driver: opens `url` and goes through the provider's pages. */
export type LoginDriver = (url: string, options?: LoginOptions) => Promise<LoginResult>;

export declare const DEFAULT_LOGIN_USER: string;
export declare const AUTHENTICATED_TITLE: string;
export declare const LOGIN_MODES: ReadonlyArray<LoginMode | 'none'>;
export declare function redactUrl(url: string): string;
/** Options of {@link runBrowserExecutable}. */
export interface BrowserExecutableOptions {
  /** Title of the page the driver must reach, for the failure message (default AUTHENTICATED_TITLE). */
  successTitle?: string;
}

/**
 * The body of a fake-browser executable: honours LOGIN_USER, LOGIN_MODE, LOGIN_LOG and
 * LOGIN_DELAY_MS, runs `login` on the URL argument, and exits 0 only when it reports `authenticated`.
 */
export declare function runBrowserExecutable(login: LoginDriver, options?: BrowserExecutableOptions): Promise<void>;
export declare function isAuthenticatedPage(html: string): boolean;
