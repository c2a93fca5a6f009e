/**
 * The one token `setup` looks at, obtained as get-token obtains it for the
 * grant (a login, the CI token fetched or exchanged, the token file read and
 * verified, the exchange for `--exchange-audience`), without the cache.
 */
import { type TokenSet, tokenForKubectl } from '../core/credential.ts';
import { AuthError } from '../core/errors.ts';
import type { ExecInfo } from '../core/exec-credential.ts';
import { decodeJwtClaims, type JwtClaims } from '../core/jwt.ts';
import { exchangeAudienceOf, type Grant, type SetupOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import { exchangeForAudience } from '../flows/exchange-audience.ts';
import { login, resolveGrant } from '../flows/login.ts';
import { proveRefresh, type RefreshProof } from '../flows/refresh.ts';
import { verifyTokenFile } from '../flows/token-file.ts';
import type { Logger } from '../io/logger.ts';
import { readTokenFile } from '../io/token-file.ts';
import { connectProvider } from '../provider/session.ts';

/** What setup shows and checks of the token kubectl would get. */
export interface SetupToken {
  token: string;
  claims: JwtClaims;
  /** The audience the API server is configured with. */
  audience: string;
  refreshTokenReceived: boolean;
  /** The outcome of one refresh; undefined when there was no refresh token to try. */
  renewal: RefreshProof | undefined;
  /** True for the grants of CI tokens, which come without a refresh token: get-token asks for a new token each time. */
  noRefreshByDesign: boolean;
  /** The provider's discovery document; undefined for the token-file grant, whose verification keeps it to itself. */
  discovery: Readonly<Record<string, unknown>> | undefined;
}

/** True for the grants that hand over a CI token (fetched, read or exchanged): none of them has a refresh token. */
function handsOverCiToken(grant: Grant): boolean {
  switch (grant.type) {
    case 'github-actions':
    case 'token-file':
    case 'token-exchange':
      return true;
    case 'auto':
    case 'authcode':
    case 'authcode-keyboard':
    case 'password':
    case 'device-code':
    case 'client-credentials':
      return false;
  }
}

/** The first audience of a token, as the API server must be configured with it. */
function firstAudience(claims: JwtClaims): string {
  const aud = claims['aud'];
  return String(Array.isArray(aud) ? aud[0] : (aud ?? ''));
}

/** The claims of `token`, or an error saying the provider gave nothing to show. */
function claimsOf(token: string | undefined): { token: string; claims: JwtClaims } {
  const claims = token === undefined ? undefined : decodeJwtClaims(token);
  if (token === undefined || claims === undefined) throw new AuthError('the provider returned no token to show');
  return { token, claims };
}

/** Obtains the token get-token would hand kubectl with these options, once, reading and writing no cache. */
export async function obtainSetupToken(
  options: SetupOptions,
  deps: Deps,
  execInfo: ExecInfo,
  logger: Logger,
): Promise<SetupToken> {
  const { grant } = options;
  const noRefreshByDesign = handsOverCiToken(grant);
  if (grant.type === 'token-file') {
    const { token } = readTokenFile(grant.tokenFile, deps.now());
    logger.redactor.add(token);
    await verifyTokenFile(options.provider, grant.tokenFile, token, { env: deps.env, now: deps.now, logger });
    const { claims } = claimsOf(token);
    return {
      token,
      claims,
      audience: options.provider.clientId,
      refreshTokenReceived: false,
      renewal: undefined,
      noRefreshByDesign,
      discovery: undefined,
    };
  }

  const context = { deps, execInfo };
  const session = await connectProvider(options.provider, { env: deps.env, now: deps.now, logger });
  const tokens: TokenSet = await login(session, options, resolveGrant(session, options, context), context);
  const exchangeAudience = exchangeAudienceOf(grant);
  const exchanged =
    exchangeAudience === undefined ? undefined : await exchangeForAudience(session, tokens, exchangeAudience);
  if (exchanged === undefined && options.provider.useAccessToken && tokens.access_token_expires_at !== undefined) {
    throw new AuthError(
      `the access token from ${options.provider.issuerUrl} is not a JWT: an API server checks such a token with a webhook token authenticator (as GKE does), not with the OIDC configuration setup prints`,
      { hint: 'run setup without --oidc-use-access-token for the configuration of the ID token' },
    );
  }
  const { token, claims } = claimsOf(
    exchanged ? exchanged.access_token : tokenForKubectl(tokens, options.provider.useAccessToken),
  );
  // An ID token is for the client; an access token (or an exchanged token) is for the API server, whose audience it names.
  const audience = exchangeAudience ?? (token === tokens.id_token ? options.provider.clientId : firstAudience(claims));
  // One refresh of the login proves that kubectl's runs will renew the token (and exchange it again) without a browser.
  const renewal =
    tokens.refresh_token === undefined
      ? undefined
      : await proveRefresh(session, { ...tokens, refresh_token: tokens.refresh_token });
  return {
    token,
    claims,
    audience,
    refreshTokenReceived: tokens.refresh_token !== undefined,
    renewal,
    noRefreshByDesign,
    discovery: session.metadata,
  };
}
