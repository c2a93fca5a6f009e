/** Makes sure Debian's Chromium is there for the Chromium login driver. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './chromium-login-driver.mjs';

/** The error message when Chromium is missing and cannot be installed from here. */
const MISSING_MESSAGE = "Chromium is missing: run 'apt-get install -y chromium' as root";
/** apt-get must not stop to ask anything. */
const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };

/**
 * Returns the path of Chromium, installing Debian's package first (apt-get update, then install)
 * when it is missing and this process runs as root. Throws when it is still missing.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) throw new Error(MISSING_MESSAGE);
  try {
    execFileSync('apt-get', ['update'], { env: APT_ENV, stdio: 'pipe' });
    execFileSync('apt-get', ['install', '-y', 'chromium'], { env: APT_ENV, stdio: 'pipe' });
  } catch (cause) {
    throw new Error(MISSING_MESSAGE, { cause });
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(MISSING_MESSAGE);
  return CHROMIUM_PATH;
}
