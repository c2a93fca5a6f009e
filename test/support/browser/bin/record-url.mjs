#!/usr/bin/env node
// @ts-check
// A fake browser for --browser-command that only records the URL it was given: one line of URL_LOG per run.
import { recordUrl } from '../record-url.mjs';

recordUrl(process.argv[2] ?? '', process.env);
