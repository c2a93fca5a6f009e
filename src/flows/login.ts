/**
 * Choosing and running the grant of a new login.
 */
import type { TokenSet } from '../cache/token-store.ts';
import { UsageError } from '../core/errors.ts';
import type { LoginOptions } from '../core/options.ts';
import type { Logger } from '../io/logger.ts';
import { loginWithBrowser } from './authcode-browser.ts';
import type { ProviderSession } from './provider-session.ts';

/** Logs in with the grant chosen by `--grant-type`. */
export async function login(session: ProviderSession, options: LoginOptions, logger: Logger): Promise<TokenSet> {
  switch (options.grantType) {
    case 'auto':
    case 'authcode':
      return loginWithBrowser(session, options.browser, logger);
    default:
      throw new UsageError(`--grant-type=${options.grantType} is not available in this version; use auto or authcode`);
  }
}
