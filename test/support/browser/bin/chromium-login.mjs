#!/usr/bin/env node
// @ts-check
// A fake browser for --browser-command: logs in with headless Chromium. See ../browser-driver.mjs.
import { runBrowserExecutable } from '../browser-driver.mjs';
import { loginWithChromium } from '../chromium-login-driver.mjs';

await runBrowserExecutable(loginWithChromium);
