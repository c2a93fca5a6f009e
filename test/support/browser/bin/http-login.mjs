#!/usr/bin/env node
// @ts-check
// A fake browser for --browser-command: logs in over plain HTTP. See ../browser-driver.mjs.
import { runBrowserExecutable } from '../browser-driver.mjs';
import { loginWithHttpDriver } from '../http-login-driver.mjs';

await runBrowserExecutable(loginWithHttpDriver);
