/**
 * The authorization code flow with PKCE through the loopback server and the
 * browser.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { type AuthError, UsageError } from '../core/errors.ts';
import type { BrowserLoginOptions } from '../core/options.ts';
import type { OutputStream } from '../deps.ts';
import type { OpenBrowser } from '../io/browser.ts';
import { type AnswerVerdict, askUntilAccepted, type TerminalInput } from '../io/prompt.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';
import { bindLoopbackServer, LOOPBACK_HOSTNAMES, serveCallback } from './loopback-server.ts';
import { loadLoopbackTls } from './loopback-tls.ts';
import { readPaste } from './pasted-callback.ts';
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

/** Where the browser login meets the person. */
export interface BrowserLoginSettings {
  /** Opens the login URL (Deps.openBrowser). */
  openBrowser: OpenBrowser;
  /** Why no browser can be opened here, if none can: the person then logs in on another device. */
  noBrowser: string | undefined;
  /** The terminal, when the person may paste the code there (a terminal that kubectl calls interactive). */
  terminal: { stdin: TerminalInput; stderr: OutputStream } | undefined;
  /** Where QR codes go: stderr, when it is a terminal. */
  stderr: OutputStream;
}

/** The prompt of the paste. */
const PASTE_PROMPT = 'Code or URL: ';

/** A promise that never settles: a waiter that gave up leaves the login to the other. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/**
 * Says how to log in from any browser: the authorization URL, a QR code of it
 * when no browser was opened here (and stderr is a terminal, unless
 * --no-qr), and what to paste.
 */
async function explainPaste(
  session: ProviderSession,
  browser: BrowserLoginOptions,
  settings: BrowserLoginSettings,
  url: string,
): Promise<void> {
  const notOpened = settings.noBrowser !== undefined || browser.skipOpenBrowser;
  session.logger.info(
    settings.noBrowser !== undefined
      ? `No browser can be opened here (${settings.noBrowser}): open this URL in a browser on any device and log in,`
      : 'Or log in from a browser anywhere (another machine, a phone): open this URL there,',
  );
  session.logger.info(`  ${url}`);
  if (notOpened && browser.showQrCode && settings.stderr.isTTY) {
    (await import('../io/qr-code.ts')).writeQrCode(url, settings.stderr);
  }
  session.logger.info(
    'then paste here the code, or the whole URL that browser ends on (a page that cannot be reached is fine: it holds the code).',
  );
}

/**
 * Logs in through the browser and the loopback server. On a terminal the
 * person may also paste the code (or the URL the browser was sent to):
 * whichever arrives first is the login, the other way in stops at once (the
 * server closes, or the prompt goes away).
 */
export async function loginWithBrowser(
  session: ProviderSession,
  browser: BrowserLoginOptions,
  settings: BrowserLoginSettings,
): Promise<TokenSet> {
  const { logger } = session;
  const state = client.randomState();
  const nonce = client.randomNonce();
  const pkce = await preparePkce(session);
  const tls = browser.localServerTls && (await loadLoopbackTls(browser.localServerTls));
  const bound = await bindLoopbackServer(browser.listenAddresses, tls);
  const loginUrl = `${loopbackScheme(browser)}://localhost:${bound.port}/`;
  const stopPrompt = new AbortController();
  const stopLoopback = new AbortController();
  let viaLoopback: Promise<TokenSet>;
  let redirectUri: string;
  let url: string;
  try {
    redirectUri = redirectUriFor(browser, bound.port);
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
    url = authorizationUrl(session, { redirectUri, state, nonce, pkce });
    viaLoopback = serveCallback(bound, {
      callbackPath: redirect.pathname,
      authorizationUrl: url,
      expectedState: state,
      exchange: (code) => exchangeCode(session, { code, redirectUri, nonce, pkce }),
      successRedirect: browser.openUrlAfterAuthentication,
      timeoutMs: browser.authenticationTimeoutMs,
      allowedHosts: new Set([...LOOPBACK_HOSTNAMES, redirect.hostname.toLowerCase()]),
      onClaim: () => stopPrompt.abort(),
      signal: stopLoopback.signal,
    });
  } catch (error) {
    // Nothing serves the login yet: close the server, or the process would never exit.
    bound.server.close();
    throw error;
  }
  const { terminal } = settings;
  // Without a terminal nothing can be pasted: the browser is the one way in, opened as ever.
  if (terminal === undefined || settings.noBrowser === undefined) await settings.openBrowser(loginUrl, browser, logger);
  if (terminal === undefined) return viaLoopback;

  try {
    await explainPaste(session, browser, settings, url);
    const viaPaste = askUntilAccepted(
      PASTE_PROMPT,
      terminal,
      (answer) => pasteAnswer(answer, state),
      stopPrompt.signal,
    ).then(async (pasted) => {
      // The prompt was withdrawn (the browser came back) or stdin ended: the browser may still come back.
      if (pasted === undefined) return never<TokenSet>();
      stopLoopback.abort();
      if ('refusal' in pasted) throw pasted.refusal;
      // The code was issued for the loopback redirect URI of the authorization request: it is exchanged with that.
      return exchangeCode(session, { code: pasted.code, redirectUri, nonce, pkce });
    });
    return await Promise.race([viaLoopback, viaPaste]);
  } finally {
    // Whichever way the login ended, neither the server nor the prompt waits on.
    stopPrompt.abort();
    stopLoopback.abort();
  }
}

/** A paste as the prompt takes it: accepted with its code or the provider's refusal, or a problem to say. */
function pasteAnswer(answer: string, state: string): AnswerVerdict<{ code: string } | { refusal: AuthError }> {
  const verdict = readPaste(answer, state);
  return 'problem' in verdict ? verdict : { value: verdict };
}
