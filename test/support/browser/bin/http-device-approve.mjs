#!/usr/bin/env node
// @ts-check
// A fake browser for --browser-command in the device flow: approves (or denies) the device over
// plain HTTP. See ../browser-driver.mjs for LOGIN_USER, LOGIN_MODE, LOGIN_LOG and LOGIN_DELAY_MS.
import { runBrowserExecutable } from '../browser-driver.mjs';
import { approveDeviceWithHttp, DEVICE_SUCCESS_TITLE } from '../device-approval.mjs';

await runBrowserExecutable(approveDeviceWithHttp, { successTitle: DEVICE_SUCCESS_TITLE });
