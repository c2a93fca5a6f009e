/** Types of chromium-device-approval.mjs: approving a device authorization in headless Chromium. */
import type { DeviceApprovalOptions, DeviceApprovalResult } from './device-approval.mjs';

/** Approves the device at the verification URL in headless Chromium; approve mode only. */
export declare function approveDeviceWithChromium(url: string, options?: DeviceApprovalOptions): Promise<DeviceApprovalResult>;
