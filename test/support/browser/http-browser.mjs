// @ts-check
/**
 * A fake browser made of fetch and a cookie jar, for the HTTP drivers: it follows redirects and
 * lets the caller answer each page (submit a form, follow a link) until there is nothing to answer.
 * Plain JavaScript, typed with JSDoc, so that the driver executables run without a TypeScript loader.
 */

/**
 * A request the browser sends next: a GET, or a POST of a form.
 * @typedef {object} PageRequest
 * @property {URL} url
 * @property {'GET' | 'POST'} method
 * @property {URLSearchParams} [body]
 */

/**
 * A page the browser stopped on.
 * @typedef {object} Page
 * @property {string} url
 * @property {string} html
 */

/**
 * Answers a page with the next request, or undefined to stop there.
 * @typedef {(html: string, pageUrl: URL) => PageRequest | undefined} PageAnswer
 */

/**
 * Options of {@link browse}.
 * @typedef {object} BrowseOptions
 * @property {(next: URL) => URL} [rewriteRedirect] Rewrites each redirect target before it is followed.
 * @property {(next: URL) => boolean} [stopBefore] True for a redirect target not to visit: the visit ends
 *   there, with that URL and no HTML, as a browser whose address bar shows a page it cannot reach.
 */

/** Requests allowed for one visit; a login takes about eight, a device approval about twelve: more means a loop. */
const MAX_REQUESTS = 25;
/** Content type of the provider's forms. */
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Cookies per host name, ignoring path and port as far as tests need (no two cookies share a name). */
class CookieJar {
  /** @type {Map<string, Map<string, string>>} */
  #hosts = new Map();

  /**
   * Stores the Set-Cookie headers of a response from `url`.
   * @param {URL} url
   * @param {readonly string[]} setCookieHeaders
   */
  store(url, setCookieHeaders) {
    const cookies = this.#cookiesOf(url);
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (value === '' || attributes.some(isExpiry)) cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  /**
   * The Cookie header for a request to `url`, if any.
   * @param {URL} url
   * @returns {{ cookie?: string }}
   */
  header(url) {
    const cookies = [...this.#cookiesOf(url)].map(([name, value]) => `${name}=${value}`);
    return cookies.length === 0 ? {} : { cookie: cookies.join('; ') };
  }

  /**
   * The cookies of `url`'s host, an empty jar for a host not seen yet.
   * @param {URL} url
   * @returns {Map<string, string>}
   */
  #cookiesOf(url) {
    const { hostname } = url;
    let cookies = this.#hosts.get(hostname);
    if (cookies === undefined) {
      cookies = new Map();
      this.#hosts.set(hostname, cookies);
    }
    return cookies;
  }
}

/**
 * True for a cookie attribute that removes the cookie (`max-age=0` or an `expires` in the past).
 * @param {string} attribute
 * @returns {boolean}
 */
function isExpiry(attribute) {
  const [name = '', value = ''] = attribute.split('=').map((part) => part.trim());
  if (name.toLowerCase() === 'max-age') return Number(value) <= 0;
  if (name.toLowerCase() === 'expires') return Date.parse(value) <= Date.now();
  return false;
}

/**
 * The first capture of `pattern` in `html`, if it matches.
 * @param {string} html
 * @param {RegExp} pattern
 * @returns {string | undefined}
 */
export function firstMatch(html, pattern) {
  return pattern.exec(html)?.[1];
}

/**
 * Visits `url` with a fresh cookie jar. Redirects are followed (each target passed through
 * `rewriteRedirect` first, if given); every other page goes to `answer(html, pageUrl)`, which
 * returns the next request `{ url, method, body? }` (body: URLSearchParams, sent as a form) or
 * undefined to stop there. Resolves with the last page `{ url, html }`; rejects on a network error
 * or after too many requests.
 * @param {string} url
 * @param {PageAnswer} answer
 * @param {BrowseOptions} [options]
 * @returns {Promise<Page>}
 */
export async function browse(url, answer, { rewriteRedirect = (next) => next, stopBefore = () => false } = {}) {
  const jar = new CookieJar();
  /** @type {PageRequest} */
  let request = { url: new URL(url), method: 'GET', body: undefined };
  for (let count = 0; count < MAX_REQUESTS; count += 1) {
    const headers = { ...jar.header(request.url), ...(request.body ? { 'content-type': FORM_CONTENT_TYPE } : {}) };
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body,
      redirect: 'manual',
    });
    jar.store(request.url, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.arrayBuffer();
      const next = rewriteRedirect(new URL(location, request.url));
      if (stopBefore(next)) return { url: next.href, html: '' };
      request = { url: next, method: 'GET', body: undefined };
      continue;
    }
    const html = await response.text();
    const next = answer(html, request.url);
    if (next === undefined) return { url: request.url.href, html };
    request = next;
  }
  throw new Error(`still redirected after ${MAX_REQUESTS} requests, starting from ${url}`);
}
