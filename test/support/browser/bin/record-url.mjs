#!/usr/bin/env node
// @ts-check
// A fake browser for --browser-command that only records the URL it was given: one line of URL_LOG per run.
import { appendFileSync } from 'node:fs';

const log = process.env['URL_LOG'];
if (!log) throw new Error('record-url: URL_LOG is not set');
appendFileSync(log, `${process.argv[2] ?? ''}\n`);
