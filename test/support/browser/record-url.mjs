// @ts-check
/** The fake browser that opens nothing: it appends the URL to the file URL_LOG names, for a test to read. */
import { appendFileSync } from 'node:fs';

/**
 * Appends `url` and a newline to URL_LOG of `env`; throws when URL_LOG is unset.
 * @param {string} url
 * @param {NodeJS.ProcessEnv} env
 */
export function recordUrl(url, env) {
  const log = env['URL_LOG'];
  if (!log) throw new Error('record-url: URL_LOG is not set');
  appendFileSync(log, `${url}\n`);
}
