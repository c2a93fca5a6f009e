/**
 * The device authorization grant (RFC 8628): the person approves on another
 * device while this process polls the provider.
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { formatCountdown } from '../core/durations.ts';
import { AuthError, ConfigError, UnfinishedLoginError } from '../core/errors.ts';
import type { BrowserLoginOptions } from '../core/options.ts';
import type { OutputStream } from '../deps.ts';
import type { OpenBrowser } from '../io/browser.ts';
import { describeProviderError } from '../provider/errors.ts';
import { requestTokens } from '../provider/grant-request.ts';
import type { ProviderSession } from '../provider/session.ts';
import { loginHintParameter } from './authcode-browser.ts';
import { pkceChallengeParameters, preparePkce } from './pkce.ts';

/** How often the time left is redrawn on a terminal. */
const PROGRESS_INTERVAL_MS = 1000;

/** Where the device flow talks to the person. */
export interface DeviceCodeSettings {
  browser: BrowserLoginOptions;
  /** Why no browser can be opened, if none can: the URL is then only printed. */
  noBrowser: string | undefined;
  stderr: OutputStream;
  /** Opens the verification URL (Deps.openBrowser). */
  openBrowser: OpenBrowser;
}

/** Starts redrawing the time left on a terminal; returns the function that stops it. */
function showTimeLeft(stderr: OutputStream, deadline: number, now: () => number): () => void {
  if (!stderr.isTTY) return () => undefined;
  const draw = () => stderr.write(`\r\x1b[KWaiting for approval: ${formatCountdown((deadline - now()) / 1000)} left`);
  draw();
  const timer = setInterval(draw, PROGRESS_INTERVAL_MS);
  return () => {
    clearInterval(timer);
    stderr.write('\r\x1b[K');
  };
}

/** Logs in with the device authorization grant. */
export async function loginWithDeviceCode(session: ProviderSession, settings: DeviceCodeSettings): Promise<TokenSet> {
  const { logger } = session;
  if (!session.metadata.device_authorization_endpoint) {
    throw new ConfigError(`the provider ${session.metadata.issuer} has no device authorization endpoint`, {
      hint: 'give it with --oidc-device-authorization-endpoint if the provider has one all the same (GitLab: <issuer>/oauth/authorize_device), or use --grant-type=authcode or --grant-type=authcode-keyboard',
    });
  }
  // Keycloak refuses the device flow without PKCE; --oidc-pkce-method decides as for the browser flow.
  const pkce = await preparePkce(session);
  let authorization: client.DeviceAuthorizationResponse;
  try {
    authorization = await client.initiateDeviceAuthorization(session.config, {
      scope: session.scopes,
      ...loginHintParameter(session),
      ...pkceChallengeParameters(pkce),
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
  // Under the text, for a phone's camera: the URL is the whole task when it carries the code.
  if (settings.stderr.isTTY && settings.browser.showQrCode)
    (await import('../io/qr-code.ts')).writeQrCode(url, settings.stderr);
  if (settings.noBrowser === undefined && !settings.browser.skipOpenBrowser)
    await settings.openBrowser(url, settings.browser, logger);

  const stopProgress = showTimeLeft(settings.stderr, session.now() + timeoutMs, session.now);
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    return await requestTokens(session, 'the device code login', () =>
      client.pollDeviceAuthorizationGrant(
        session.config,
        authorization,
        pkce ? { code_verifier: pkce.verifier } : undefined,
        { signal: deadline },
      ),
    );
  } catch (failure) {
    if (failure instanceof AuthError && failure.oauthError === 'access_denied') {
      throw new AuthError('the device login was denied at the provider', {
        oauthError: 'access_denied',
        cause: failure,
      });
    }
    // The person's deadline passed (ours or the provider's); a poll the provider did not answer in time is reported as such.
    if (deadline.aborted || (failure instanceof AuthError && failure.oauthError === 'expired_token')) {
      throw new UnfinishedLoginError(`the device login was not approved within ${formatCountdown(timeoutMs / 1000)}`, {
        hint: 'run the command again and approve the code in time',
        cause: failure,
      });
    }
    throw failure;
  } finally {
    stopProgress();
  }
}
