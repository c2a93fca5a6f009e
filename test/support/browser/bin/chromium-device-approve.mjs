#!/usr/bin/env node
// @ts-check
// A fake browser for --browser-command in the device flow: approves the device in headless
// Chromium. See ../browser-driver.mjs for LOGIN_USER, LOGIN_LOG and LOGIN_DELAY_MS.
import { runBrowserExecutable } from '../browser-driver.mjs';
import { approveDeviceWithChromium } from '../chromium-device-approval.mjs';
import { DEVICE_SUCCESS_TITLE } from '../device-approval.mjs';

await runBrowserExecutable(approveDeviceWithChromium, { successTitle: DEVICE_SUCCESS_TITLE });
