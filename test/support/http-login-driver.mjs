/**
 * A fake browser made of fetch and a cookie jar: it goes through oidc-provider's devInteractions
 * login and consent pages and follows the redirect back to the CLI's loopback server.
 */
import { DEFAULT_LOGIN_USER, isAuthenticatedPage } from './browser-driver.mjs';

/** Requests allowed for one login; a normal one takes about eight, more means a redirect loop. */
const MAX_REQUESTS = 25;
/** The `state` sent back in tamper-state mode. */
const TAMPERED_STATE = 'tampered-state';
/** devInteractions accepts any password. */
const PASSWORD = 'x';
/** Content type of the provider's forms. */
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Cookies per host name, ignoring path and port as far as tests need (no two cookies share a name). */
class CookieJar {
  #hosts = new Map();

  /** Stores the Set-Cookie headers of a response from `url`. */
  store(url, setCookieHeaders) {
    const cookies = this.#cookiesOf(url);
    for (const header of setCookieHeaders) {
      const [pair, ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (value === '' || attributes.some(isExpiry)) cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  /** The Cookie header for a request to `url`, if any. */
  header(url) {
    const cookies = [...this.#cookiesOf(url)].map(([name, value]) => `${name}=${value}`);
    return cookies.length === 0 ? {} : { cookie: cookies.join('; ') };
  }

  #cookiesOf(url) {
    const { hostname } = new URL(url);
    if (!this.#hosts.has(hostname)) this.#hosts.set(hostname, new Map());
    return this.#hosts.get(hostname);
  }
}

/** True for a cookie attribute that removes the cookie (`max-age=0` or an `expires` in the past). */
function isExpiry(attribute) {
  const [name, value = ''] = attribute.split('=').map((part) => part.trim());
  if (name.toLowerCase() === 'max-age') return Number(value) <= 0;
  if (name.toLowerCase() === 'expires') return Date.parse(value) <= Date.now();
  return false;
}

/** True for the redirect to the client: it carries `state` and either `code` or `error`. */
function isCallback(url) {
  const { searchParams } = url;
  return searchParams.has('state') && (searchParams.has('code') || searchParams.has('error'));
}

function firstMatch(html, pattern) {
  return pattern.exec(html)?.[1];
}

/** The request answering a provider page, or undefined when `html` is not one of its forms. */
function answer(html, pageUrl, { user, mode }) {
  const action = firstMatch(html, /<form[^>]*\baction="([^"]+)"/);
  if (action === undefined) return undefined;
  const submitUrl = new URL(action, pageUrl);
  if (/<input[^>]*\bname="login"/.test(html)) {
    return { url: submitUrl, method: 'POST', body: new URLSearchParams({ prompt: 'login', login: user, password: PASSWORD }) };
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
 * Resolves with the final page, whatever it is; rejects on a network error or a redirect loop.
 */
export async function loginWithHttpDriver(url, { user = DEFAULT_LOGIN_USER, mode = 'approve' } = {}) {
  const jar = new CookieJar();
  let request = { url: new URL(url), method: 'GET', body: undefined };
  for (let count = 0; count < MAX_REQUESTS; count += 1) {
    const headers = { ...jar.header(request.url), ...(request.body ? { 'content-type': FORM_CONTENT_TYPE } : {}) };
    const response = await fetch(request.url, { method: request.method, headers, body: request.body, redirect: 'manual' });
    jar.store(request.url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.arrayBuffer();
      const next = new URL(location, request.url);
      if (mode === 'tamper-state' && isCallback(next)) next.searchParams.set('state', TAMPERED_STATE);
      request = { url: next, method: 'GET', body: undefined };
      continue;
    }
    const html = await response.text();
    const next = answer(html, request.url, { user, mode });
    if (next === undefined) return { authenticated: isAuthenticatedPage(html), url: request.url.href, html };
    request = next;
  }
  throw new Error(`still redirected after ${MAX_REQUESTS} requests, starting from ${url}`);
}
