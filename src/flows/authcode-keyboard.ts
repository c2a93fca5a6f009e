/**
 * The authorization code flow without a loopback server: the person opens
 * the URL anywhere and pastes the code back.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { AuthError } from '../core/errors.ts';
import type { OutputStream } from '../deps.ts';
import { promptLine, type TerminalInput } from '../io/prompt.ts';
import type { ProviderSession } from '../provider/session.ts';
import { authorizationUrl, exchangeCode } from './authcode-browser.ts';
import { preparePkce } from './pkce.ts';

/** The out-of-band redirect URI of the Go kubelogin's keyboard flow, used unless --oidc-redirect-url is given. */
const OUT_OF_BAND_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';

/** Logs in by printing the authorization URL and reading the pasted code after `Enter code: `. */
export async function loginWithKeyboard(
  session: ProviderSession,
  redirectUrl: string | undefined,
  terminal: { stdin: TerminalInput; stderr: OutputStream },
): Promise<TokenSet> {
  const redirectUri = redirectUrl ?? OUT_OF_BAND_REDIRECT_URI;
  const state = client.randomState();
  const nonce = client.randomNonce();
  const pkce = await preparePkce(session);
  session.logger.info(
    `Please visit the following URL in your browser: ${authorizationUrl(session, { redirectUri, state, nonce, pkce })}`,
  );
  const code = await promptLine('Enter code: ', terminal.stdin, terminal.stderr);
  if (code === '') throw new AuthError('no authorization code was entered');
  return exchangeCode(session, { code, redirectUri, nonce, pkce });
}
