/** Types of device-approval.mjs: approving a device authorization over plain HTTP. */
import type { LoginOptions, LoginResult } from './browser-driver.mjs';
import type { PageRequest } from './http-browser.mjs';

/** Options of a device approval driver. */
export interface DeviceApprovalOptions extends LoginOptions {
  /** approve (default) or deny (abort on the consent page). */
  mode?: 'approve' | 'deny';
  /** The user code to type when the URL is the plain verification_uri. */
  userCode?: string;
}

/** Where a device approval ended. */
export interface DeviceApprovalResult extends LoginResult {
  /** The final page is the provider's device success page. */
  authenticated: boolean;
  /** The final page says the request was aborted (deny mode). */
  denied: boolean;
}

/** The title of the test provider's page once the device is approved. */
export declare const DEVICE_SUCCESS_TITLE: string;
/** What the test provider's user code page says once the user denied the request. */
export declare const DEVICE_DENIED_MESSAGE: string;
/** The class of the error message on the user code page (wrong, expired or used code). */
export declare const DEVICE_ERROR_CLASS: string;

/**
 * Opens the verification URL, confirms the user code, logs in as `user` and consents (approve)
 * or aborts (deny); resolves with the last page.
 */
export declare function approveDeviceWithHttp(url: string, options?: DeviceApprovalOptions): Promise<DeviceApprovalResult>;

/** The request answering one of oidc-provider's device pages, or undefined for any other page or an error. */
export declare function answerDevicePages(html: string, pageUrl: URL, options: { userCode?: string }): PageRequest | undefined;
