// @ts-check
/**
 * Approving a device authorization (RFC 8628) in headless Chromium: the same pages as
 * device-approval.mjs goes through over HTTP, clicked through in a real browser.
 */
import { DEFAULT_LOGIN_USER } from './browser-driver.mjs';
import { signInAndConsent, waitForTitle, withChromiumPage } from './chromium-login-driver.mjs';
import { DEVICE_ERROR_CLASS, DEVICE_SUCCESS_TITLE } from './device-approval.mjs';

/** @import { DeviceApprovalOptions, DeviceApprovalResult } from './device-approval.mjs' */

/**
 * Opens the verification URL `url` in headless Chromium, confirms the user code (typing
 * `userCode` when the URL carries none), signs in as `user` and consents. Resolves with the final
 * page, `authenticated` when it is the provider's device success page; an error page (wrong,
 * expired or used code) ends it unauthenticated. Approve mode only.
 * @param {string} url
 * @param {DeviceApprovalOptions} [options]
 * @returns {Promise<DeviceApprovalResult>}
 */
export async function approveDeviceWithChromium(url, { user = DEFAULT_LOGIN_USER, mode = 'approve', userCode } = {}) {
  if (mode !== 'approve') throw new Error(`the Chromium device driver supports only LOGIN_MODE=approve, not ${mode}`);
  return withChromiumPage(async (page) => {
    await page.goto(url);
    // The complete URL's page submits itself; the plain one asks for the code first.
    const input = page.locator('#op\\.deviceInputForm input[name="user_code"]');
    const confirm = page.locator('#op\\.deviceConfirmForm');
    await input.or(confirm).first().waitFor({ state: 'attached' });
    /** @param {boolean} authenticated */
    const result = async (authenticated) => ({
      authenticated,
      denied: false,
      url: page.url(),
      html: await page.content(),
    });
    // A wrong, expired or used code: the provider shows the input form again, with the reason.
    if ((await page.locator(`.${DEVICE_ERROR_CLASS}`).count()) > 0) return result(false);
    if ((await input.count()) > 0) {
      if (userCode === undefined)
        throw new Error(`${url} asks for the user code: pass { userCode } or the complete URL`);
      await input.fill(userCode);
      await page.click('button[type="submit"][form="op.deviceInputForm"]');
    }
    await page.click('button[autofocus][form="op.deviceConfirmForm"]');
    await signInAndConsent(page, user);
    return result(await waitForTitle(page, DEVICE_SUCCESS_TITLE));
  });
}
