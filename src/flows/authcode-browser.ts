/**
 * The authorization code flow with PKCE through the loopback server and the
 * browser.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { UsageError } from '../core/errors.ts';
import type { BrowserLoginOptions } from '../core/options.ts';
import type { OpenBrowser } from '../io/browser.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';
import { bindLoopbackServer, LOOPBACK_HOSTNAMES, serveCallback } from './loopback-server.ts';
import { loadLoopbackTls } from './loopback-tls.ts';
import { type Pkce, pkceChallengeParameters, preparePkce } from './pkce.ts';

/** The scheme of the loopback server: https with `--local-server-cert`. */
function loopbackScheme(browser: BrowserLoginOptions): string {
  return browser.localServerTls ? 'https' : 'http';
}

/** The redirect URI: `--oidc-redirect-url`, else `http(s)://localhost:<port>` with no trailing slash. */
function redirectUriFor(browser: BrowserLoginOptions, port: number): string {
  return browser.redirectUrl ?? `${loopbackScheme(browser)}://${browser.redirectUrlHostname}:${port}`;
}

/** `login_hint` of `--login-hint`, for the requests that ask the person who they are. */
export function loginHintParameter(session: ProviderSession): Record<string, string> {
  const hint = session.options.loginHint;
  return hint === undefined ? {} : { login_hint: hint };
}

/** The authorization URL with PKCE, state, nonce and the extra parameters. */
export function authorizationUrl(
  session: ProviderSession,
  { redirectUri, state, nonce, pkce }: { redirectUri: string; state: string; nonce: string; pkce: Pkce | undefined },
): string {
  return client
    .buildAuthorizationUrl(session.config, {
      // Google issues a refresh token only with access_type=offline; the Go kubelogin always sends it.
      access_type: 'offline',
      ...session.options.authRequestExtraParams,
      ...loginHintParameter(session),
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: session.scopes,
      state,
      nonce,
      ...pkceChallengeParameters(pkce),
    })
    .toString();
}

/**
 * Exchanges an authorization code. `redirect_uri` is sent exactly as in the
 * authorization request (openid-client's own helper would append a `/`,
 * which providers with exact matching reject).
 */
export async function exchangeCode(
  session: ProviderSession,
  { code, redirectUri, nonce, pkce }: { code: string; redirectUri: string; nonce: string; pkce: Pkce | undefined },
): Promise<TokenSet> {
  session.logger.redactor.add(code);
  const parameters = { code, redirect_uri: redirectUri, ...(pkce ? { code_verifier: pkce.verifier } : {}) };
  return requestTokens(
    session,
    'the token request',
    () => client.genericGrantRequest(session.config, 'authorization_code', parameters),
    { nonce },
  );
}

/** Logs in through the browser and the loopback server. */
export async function loginWithBrowser(
  session: ProviderSession,
  browser: BrowserLoginOptions,
  openBrowser: OpenBrowser,
): Promise<TokenSet> {
  const { logger } = session;
  const state = client.randomState();
  const nonce = client.randomNonce();
  const pkce = await preparePkce(session);
  const tls = browser.localServerTls && (await loadLoopbackTls(browser.localServerTls));
  const bound = await bindLoopbackServer(browser.listenAddresses, tls);
  const loginUrl = `${loopbackScheme(browser)}://localhost:${bound.port}/`;
  let result: Promise<TokenSet>;
  try {
    const redirectUri = redirectUriFor(browser, bound.port);
    const redirect = new URL(redirectUri);
    if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:') {
      throw new UsageError(
        `--oidc-redirect-url must be an http or https URL for the browser login, got ${JSON.stringify(redirectUri)}`,
        {
          hint: 'an out-of-band redirect URL goes with --grant-type=authcode-keyboard',
        },
      );
    }
    logger.debug(`listening on port ${bound.port}; redirect URI ${redirectUri}`);
    result = serveCallback(bound, {
      callbackPath: redirect.pathname,
      authorizationUrl: authorizationUrl(session, { redirectUri, state, nonce, pkce }),
      expectedState: state,
      exchange: (code) => exchangeCode(session, { code, redirectUri, nonce, pkce }),
      successRedirect: browser.openUrlAfterAuthentication,
      timeoutMs: browser.authenticationTimeoutMs,
      allowedHosts: new Set([...LOOPBACK_HOSTNAMES, redirect.hostname.toLowerCase()]),
    });
  } catch (error) {
    // Nothing serves the login yet: close the server, or the process would never exit.
    bound.server.close();
    throw error;
  }
  await openBrowser(loginUrl, browser, logger);
  return result;
}
