/**
 * The HTML pages the test provider renders instead of oidc-provider's defaults: plain pages with
 * stable titles and messages that the login and device drivers recognise. oidc-provider supplies
 * the forms (with their `op.deviceInputForm` / `op.deviceConfirmForm` ids); these wrap them.
 * Replacing the defaults also stops oidc-provider's "you SHOULD change it" notice on first use.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { DEVICE_DENIED_MESSAGE, DEVICE_ERROR_CLASS, DEVICE_SUCCESS_TITLE } from '../browser/device-approval.mjs';

/** The error oidc-provider throws on the user code page when the user aborted the request. */
const ABORTED_ERROR = 'AbortedError';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(ctx: KoaContextWithOIDC, title: string, body: string): void {
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

/** Error pages with a plain title, so a driver that fails can print something readable. */
export async function renderError(ctx: KoaContextWithOIDC, out: Record<string, string>): Promise<void> {
  const lines = Object.entries(out).map(([key, value]) => `<p>${escapeHtml(key)}: ${escapeHtml(String(value))}</p>`);
  page(ctx, 'Provider error', lines.join(''));
}

/** The user code input page; on an error it says why (denied, or a wrong, expired or used code). */
async function userCodeInputSource(
  ctx: KoaContextWithOIDC,
  form: string,
  _out?: unknown,
  error?: Error,
): Promise<void> {
  const message =
    error === undefined
      ? '<p>Enter the code displayed on your device</p>'
      : `<p class="${DEVICE_ERROR_CLASS}">${escapeHtml(error.name === ABORTED_ERROR ? DEVICE_DENIED_MESSAGE : error.message)}</p>`;
  page(ctx, 'Sign-in', `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`);
}

/** The page asking the user to confirm that the device shows `userCode`, or to abort. */
async function userCodeConfirmSource(
  ctx: KoaContextWithOIDC,
  form: string,
  client: { clientId: string },
  _deviceInfo: unknown,
  userCode: string,
): Promise<void> {
  page(
    ctx,
    'Confirm Device',
    `<p>${escapeHtml(client.clientId)} shows the code <code>${escapeHtml(userCode)}</code></p>${form}` +
      '<button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>' +
      '<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>',
  );
}

/** The page once the device is approved. */
async function successSource(ctx: KoaContextWithOIDC): Promise<void> {
  page(ctx, DEVICE_SUCCESS_TITLE, '<p>You can close this page and return to your device.</p>');
}

/** oidc-provider's `features.deviceFlow` with these pages. */
export const deviceFlowFeature = { enabled: true, userCodeInputSource, userCodeConfirmSource, successSource };
