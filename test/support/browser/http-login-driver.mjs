// @ts-check
/**
 * A fake browser made of fetch and a cookie jar: it goes through oidc-provider's devInteractions
 * login and consent pages and follows the redirect back to the CLI's loopback server.
 */
import { DEFAULT_LOGIN_USER, isAuthenticatedPage } from './browser-driver.mjs';
import { browse, firstMatch } from './http-browser.mjs';

/** @import { LoginOptions, LoginResult } from './browser-driver.mjs' */
/** @import { PageRequest } from './http-browser.mjs' */

/** The `state` sent back in tamper-state mode. */
const TAMPERED_STATE = 'tampered-state';
/** devInteractions accepts any password. */
const PASSWORD = 'x';

/**
 * True for the redirect to the client: it carries `state` and either `code` or `error`.
 * @param {URL} url
 * @returns {boolean}
 */
function isCallback(url) {
  const { searchParams } = url;
  return searchParams.has('state') && (searchParams.has('code') || searchParams.has('error'));
}

/**
 * The request answering a devInteractions login or consent page as `user`, or undefined when
 * `html` is neither. In deny mode the consent page is aborted instead of confirmed.
 * @param {string} html
 * @param {URL} pageUrl
 * @param {Required<LoginOptions>} options
 * @returns {PageRequest | undefined}
 */
export function answerLoginPages(html, pageUrl, { user, mode }) {
  const action = firstMatch(html, /<form[^>]*\baction="([^"]+)"/);
  if (action === undefined) return undefined;
  const submitUrl = new URL(action, pageUrl);
  if (/<input[^>]*\bname="login"/.test(html)) {
    return {
      url: submitUrl,
      method: 'POST',
      body: new URLSearchParams({ prompt: 'login', login: user, password: PASSWORD }),
    };
  }
  if (/<input[^>]*\bname="prompt"[^>]*\bvalue="consent"/.test(html)) {
    if (mode === 'deny') {
      const abort = firstMatch(html, /<a[^>]*\bhref="([^"]*\/abort)"/);
      if (abort === undefined) throw new Error(`no abort link on the consent page ${pageUrl}`);
      return { url: new URL(abort, pageUrl), method: 'GET' };
    }
    return { url: submitUrl, method: 'POST', body: new URLSearchParams({ prompt: 'consent' }) };
  }
  return undefined;
}

/**
 * Opens `url` like a browser and logs in on oidc-provider's devInteractions pages.
 * `mode`: approve (default) logs in and consents; deny aborts on the consent page, so the provider
 * redirects back with error=access_denied; tamper-state replaces `state` in the redirect back.
 * Resolves with the final page, whatever it is (authenticated when it is the CLI's success page);
 * rejects on a network error or a redirect loop.
 * @param {string} url
 * @param {LoginOptions} [options]
 * @returns {Promise<LoginResult>}
 */
export async function loginWithHttpDriver(url, { user = DEFAULT_LOGIN_USER, mode = 'approve' } = {}) {
  /** @param {URL} next */
  const rewriteRedirect = (next) => {
    if (mode === 'tamper-state' && isCallback(next)) next.searchParams.set('state', TAMPERED_STATE);
    return next;
  };
  const page = await browse(url, (html, pageUrl) => answerLoginPages(html, pageUrl, { user, mode }), {
    rewriteRedirect,
  });
  return { authenticated: isAuthenticatedPage(page.html), ...page };
}

/**
 * Logs in at the provider like {@link loginWithHttpDriver} but never goes back to the CLI: resolves
 * with the URL the provider redirected the browser to (the loopback callback with `code` and
 * `state`, or `error` in deny mode), as a person on another machine reads it from the address bar
 * of a page that cannot be reached.
 * @param {string} url The authorization URL.
 * @param {LoginOptions} [options]
 * @returns {Promise<string>}
 */
export async function loginUntilCallback(url, { user = DEFAULT_LOGIN_USER, mode = 'approve' } = {}) {
  const page = await browse(url, (html, pageUrl) => answerLoginPages(html, pageUrl, { user, mode }), {
    stopBefore: isCallback,
  });
  if (!isCallback(new URL(page.url)))
    throw new Error(`the provider did not redirect back; last page ${page.url}:\n${page.html}`);
  return page.url;
}
