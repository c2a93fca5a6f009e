// @ts-check
/**
 * Approving (or denying) a device authorization (RFC 8628) the way a user does in a browser, over
 * plain HTTP: the test provider's user code pages (see ../provider/provider-pages.ts, around
 * oidc-provider's forms), then the devInteractions login and consent pages.
 */
import { DEFAULT_LOGIN_USER } from './browser-driver.mjs';
import { browse, firstMatch } from './http-browser.mjs';
import { answerLoginPages } from './http-login-driver.mjs';

/** @import { LoginMode } from './browser-driver.mjs' */
/** @import { PageRequest } from './http-browser.mjs' */

/**
 * Options of a device approval driver.
 * @typedef {object} DeviceApprovalOptions
 * @property {string} [user] Login name typed into the provider's form (default alice).
 * @property {LoginMode} [mode] approve (default), or deny (abort on the consent page); other modes throw.
 * @property {string} [userCode] The user code to type when the URL is the plain verification_uri.
 */

/**
 * Where a device approval ended.
 * @typedef {object} DeviceApprovalResult
 * @property {boolean} authenticated The final page is the provider's device success page.
 * @property {boolean} denied The final page says the request was aborted (deny mode).
 * @property {string} url URL of the final page.
 * @property {string} html HTML of the final page.
 */

/** The title of the test provider's page once the device is approved. */
export const DEVICE_SUCCESS_TITLE = 'Sign-in Success';
/** What the test provider's user code page says once the user aborted (denied) the request. */
export const DEVICE_DENIED_MESSAGE = 'The Sign-in request was interrupted';
/** The class of the message the test provider's user code page shows for a wrong, expired or used code. */
export const DEVICE_ERROR_CLASS = 'device-error';
/**
 * The modes a device approval supports (tamper-state is about the authorization code flow).
 * @type {ReadonlyArray<string>}
 */
const DEVICE_MODES = ['approve', 'deny'];
/**
 * The escapes of oidc-provider's htmlSafe, undone when a hidden field is sent back.
 * @type {Readonly<Record<string, string>>}
 */
const HTML_ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * The hidden fields of the form that follows `afterIndex` in `html`.
 * @param {string} html
 * @param {number} [afterIndex]
 * @returns {URLSearchParams}
 */
function hiddenFields(html, afterIndex = 0) {
  const form = html.slice(afterIndex, html.indexOf('</form>', afterIndex));
  const fields = new URLSearchParams();
  for (const [input] of form.matchAll(/<input[^>]*\btype="hidden"[^>]*>/g)) {
    const name = firstMatch(input, /\bname="([^"]*)"/);
    const value = firstMatch(input, /\bvalue="([^"]*)"/) ?? '';
    if (name !== undefined)
      fields.set(
        name,
        value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => HTML_ENTITIES[entity] ?? entity),
      );
  }
  return fields;
}

/**
 * The POST submitting the form that starts at `index` with `fields`.
 * @param {string} html
 * @param {number} index
 * @param {URL} pageUrl
 * @param {URLSearchParams} fields
 * @returns {PageRequest}
 */
function submit(html, index, pageUrl, fields) {
  const action = firstMatch(html.slice(index), /<form[^>]*\baction="([^"]+)"/);
  if (action === undefined) throw new Error(`a form without action on ${pageUrl}`);
  return { url: new URL(action, pageUrl), method: 'POST', body: fields };
}

/**
 * The request answering one of oidc-provider's device pages, or undefined when `html` is not one
 * or shows an error. Pages: the self-submitting form that `verification_uri_complete` serves, the
 * user code input form (typed `userCode`), and the "Confirm Device" form.
 * @param {string} html
 * @param {URL} pageUrl
 * @param {{ userCode?: string }} options
 * @returns {PageRequest | undefined}
 */
export function answerDevicePages(html, pageUrl, { userCode }) {
  const confirm = html.indexOf('id="op.deviceConfirmForm"');
  if (confirm !== -1) return submit(html, html.lastIndexOf('<form', confirm), pageUrl, hiddenFields(html, confirm));
  const input = html.indexOf('id="op.deviceInputForm"');
  if (input !== -1) {
    if (html.includes(`class="${DEVICE_ERROR_CLASS}"`)) return undefined;
    if (userCode === undefined)
      throw new Error(`${pageUrl} asks for the user code: pass { userCode } or the complete URL`);
    const form = html.lastIndexOf('<form', input);
    const fields = hiddenFields(html, form);
    fields.set('user_code', userCode);
    return submit(html, form, pageUrl, fields);
  }
  const form = html.indexOf('<form');
  if (form === -1) return undefined;
  const fields = hiddenFields(html, form);
  return fields.has('xsrf') && fields.has('user_code') ? submit(html, form, pageUrl, fields) : undefined;
}

/**
 * Throws unless `mode` is one a device approval supports.
 * @param {string} mode
 */
function checkDeviceMode(mode) {
  if (!DEVICE_MODES.includes(mode))
    throw new Error(`a device approval supports LOGIN_MODE ${DEVICE_MODES.join(' or ')}, not ${mode}`);
}

/**
 * Opens the verification URL `url` like a browser: confirms the user code (in the URL, or typed
 * from `userCode` when the URL is the plain verification_uri), logs in as `user` and consents
 * (approve) or aborts on the consent page (deny). Resolves with the last page: `authenticated`
 * when it is the provider's device success page, `denied` when it says the request was aborted.
 * @param {string} url
 * @param {DeviceApprovalOptions} [options]
 * @returns {Promise<DeviceApprovalResult>}
 */
export async function approveDeviceWithHttp(url, { user = DEFAULT_LOGIN_USER, mode = 'approve', userCode } = {}) {
  checkDeviceMode(mode);
  const page = await browse(
    url,
    (html, pageUrl) =>
      answerDevicePages(html, pageUrl, { userCode }) ?? answerLoginPages(html, pageUrl, { user, mode }),
  );
  return {
    authenticated: page.html.includes(`<title>${DEVICE_SUCCESS_TITLE}</title>`),
    denied: page.html.includes(DEVICE_DENIED_MESSAGE),
    ...page,
  };
}
