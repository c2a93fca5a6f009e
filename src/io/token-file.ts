/**
 * The token-file grant's read: the file is the cache (a projected service
 * account token, a CI job's ID token), read and checked on every run, with
 * only node:fs, so that it stays on the cache-hit path.
 */
import type { Credential } from '../core/credential.ts';
import { ConfigError } from '../core/errors.ts';
import { earlyRefreshMarginSeconds } from '../core/freshness.ts';
import { isoTime } from '../core/iso-time.ts';
import { decodeJwtClaims } from '../core/jwt.ts';
import { describeFsError, readRegularFile } from './files.ts';

/**
 * Far above any JWT (a token with many groups is a few KiB); a bigger file
 * holds something else, and is not read whole.
 */
const MAX_TOKEN_FILE_BYTES = 64 * 1024;

/** What renews the file; said when its token is unusable. */
const RENEW_HINT = 'whatever writes the file (the kubelet, the CI job) must renew it before it expires';

/**
 * Reads the JWT in `path` (surrounding whitespace dropped) and returns it
 * with the time kubectl must ask again: its `exp` less the early-refresh
 * margin, or its `exp` when already inside the margin (the writer renews the
 * file on its own schedule). A file that is unreadable, empty, not a JWT,
 * without `exp` or expired is a ConfigError naming the flag and the file,
 * and so is one that is not a regular file (a FIFO, a device) or larger than
 * a token can be, which is not read; the message never holds the file's
 * content. `flag` names the file in messages (`token-file`, or
 * `subject-token-source` for an exchange).
 */
export function readTokenFile(path: string, nowMs: number, flag = 'token-file'): Credential {
  let content: string;
  try {
    content = readRegularFile(path, MAX_TOKEN_FILE_BYTES).text;
  } catch (error) {
    throw new ConfigError(`--${flag} ${path}: cannot read it (${describeFsError(error)})`, { cause: error });
  }
  const token = content.trim();
  if (token === '') throw new ConfigError(`--${flag} ${path} is empty`, { hint: RENEW_HINT });
  const claims = decodeJwtClaims(token);
  if (claims === undefined) {
    throw new ConfigError(`--${flag} ${path} does not hold a JWT (three base64url parts with a JSON payload)`, {
      hint: 'the file must hold the token alone, such as a projected service account token',
    });
  }
  if (typeof claims.exp !== 'number') {
    throw new ConfigError(
      `--${flag} ${path} holds a JWT without an exp claim, so kubectl could not know when to ask again`,
    );
  }
  const nowSeconds = nowMs / 1000;
  if (claims.exp <= nowSeconds) {
    throw new ConfigError(
      `--${flag} ${path} holds a token that expired at ${isoTime(claims.exp)} (this machine's clock says ${isoTime(nowSeconds)})`,
      {
        hint: RENEW_HINT,
      },
    );
  }
  const early = claims.exp - earlyRefreshMarginSeconds(claims);
  return { token, expiresAt: new Date((early > nowSeconds ? early : claims.exp) * 1000) };
}
