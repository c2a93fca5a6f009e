/** Types of http-browser.mjs: the fetch-and-cookie-jar browser under the HTTP drivers. */

/** A request the browser sends next: a GET, or a POST of a form. */
export interface PageRequest {
  url: URL;
  method: 'GET' | 'POST';
  body?: URLSearchParams;
}

/** A page the browser stopped on. */
export interface Page {
  url: string;
  html: string;
}

/** Answers a page with the next request, or undefined to stop there. */
export type PageAnswer = (html: string, pageUrl: URL) => PageRequest | undefined;

/** Options of {@link browse}. */
export interface BrowseOptions {
  /** Rewrites each redirect target before it is followed. */
  rewriteRedirect?: (next: URL) => URL;
}

/** The first capture of `pattern` in `html`, if it matches. */
export declare function firstMatch(html: string, pattern: RegExp): string | undefined;

/** Visits `url` with a fresh cookie jar, following redirects and answering pages until `answer` stops. */
export declare function browse(url: string, answer: PageAnswer, options?: BrowseOptions): Promise<Page>;
