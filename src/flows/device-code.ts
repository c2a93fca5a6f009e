/**
 * The device authorization grant (RFC 8628): the person approves on another
 * device while this process polls the provider.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../cache/token-store.ts';
import { AuthError, ConfigError, TimeoutError } from '../core/errors.ts';
import type { BrowserLoginOptions } from '../core/options.ts';
import type { OutputStream } from '../deps.ts';
import { openBrowser } from '../io/browser.ts';
import type { Logger } from '../io/logger.ts';
import { preparePkce } from './authcode-browser.ts';
import { describeProviderError } from '../provider/errors.ts';
import type { ProviderSession } from '../provider/session.ts';
import { acceptTokenResponse } from '../provider/token-response.ts';

/** How often the time left is redrawn on a terminal. */
const PROGRESS_INTERVAL_MS = 1000;

/** Where the device flow talks to the person. */
export interface DeviceCodeSettings {
  browser: BrowserLoginOptions;
  /** Why no browser can be opened, if none can: the URL is then only printed. */
  noBrowser: string | undefined;
  stderr: OutputStream;
}

/** `m:ss` for a number of seconds. */
function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Starts redrawing the time left on a terminal; returns the function that stops it. */
function showTimeLeft(stderr: OutputStream, deadline: number): () => void {
  if (!stderr.isTTY) return () => undefined;
  const draw = () => stderr.write(`\r\x1b[KWaiting for approval: ${formatDuration((deadline - Date.now()) / 1000)} left`);
  draw();
  const timer = setInterval(draw, PROGRESS_INTERVAL_MS);
  return () => {
    clearInterval(timer);
    stderr.write('\r\x1b[K');
  };
}

/** Logs in with the device authorization grant. */
export async function loginWithDeviceCode(session: ProviderSession, settings: DeviceCodeSettings, logger: Logger): Promise<TokenSet> {
  if (!session.metadata.device_authorization_endpoint) {
    throw new ConfigError(`the provider ${session.metadata.issuer} has no device authorization endpoint`, {
      hint: 'use --grant-type=authcode or --grant-type=authcode-keyboard',
    });
  }
  // Keycloak refuses the device flow without PKCE; --oidc-pkce-method decides as for the browser flow.
  const pkce = await preparePkce(session);
  let authorization: client.DeviceAuthorizationResponse;
  try {
    authorization = await client.initiateDeviceAuthorization(session.config, {
      scope: session.scopes,
      ...(pkce ? { code_challenge: pkce.challenge, code_challenge_method: 'S256' } : {}),
    });
  } catch (error) {
    throw describeProviderError(error, 'the device authorization request', session.host);
  }
  logger.redactor.add(authorization.device_code);

  const timeoutMs = Math.min(authorization.expires_in * 1000, settings.browser.authenticationTimeoutMs);
  const url = authorization.verification_uri_complete ?? authorization.verification_uri;
  logger.info(
    authorization.verification_uri_complete
      ? `To log in, open ${url} (code ${authorization.user_code})`
      : `To log in, open ${url} and enter the code ${authorization.user_code}`,
  );
  if (settings.noBrowser === undefined && !settings.browser.skipOpenBrowser) await openBrowser(url, settings.browser, logger);

  const stopProgress = showTimeLeft(settings.stderr, Date.now() + timeoutMs);
  let response: client.TokenEndpointResponse;
  try {
    response = await client.pollDeviceAuthorizationGrant(session.config, authorization, pkce ? { code_verifier: pkce.verifier } : undefined, {
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const failure = describeProviderError(error, 'the device code login', session.host);
    if (failure instanceof AuthError && failure.oauthError === 'access_denied') {
      throw new AuthError('the device login was denied at the provider', { oauthError: 'access_denied', cause: error });
    }
    if (failure instanceof TimeoutError || (failure instanceof AuthError && failure.oauthError === 'expired_token')) {
      throw new TimeoutError(`the device login was not approved within ${formatDuration(timeoutMs / 1000)}`, {
        hint: 'run the command again and approve the code in time',
        cause: error,
      });
    }
    throw failure;
  } finally {
    stopProgress();
  }
  logger.redactor.add(response.access_token, response.refresh_token, response.id_token);
  return acceptTokenResponse(session, response);
}
