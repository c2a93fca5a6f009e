/**
 * The checks `setup` runs on a fresh ID token: would a default API server
 * accept it, and map it as the administrator expects?
 */
import { formatDuration } from '../core/durations.ts';
import type { JwtClaims } from '../core/jwt.ts';
import type { RefreshProof } from '../flows/refresh.ts';

/** The outcome of one check. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One check and its one-line reason. */
export interface CheckResult {
  status: CheckStatus;
  name: string;
  reason: string;
}

/** What the checks look at. */
export interface CheckInput {
  issuerUrl: string;
  /** The audience the API server will be configured with: the client ID for an ID token. */
  audience: string;
  /** The `alg` of the token's protected header. */
  algorithm: string | undefined;
  claims: JwtClaims;
  usernameClaim: string;
  groupsClaim: string;
  refreshTokenReceived: boolean;
  /** The outcome of one refresh after the login; undefined when there was no refresh token to try. */
  renewal: RefreshProof | undefined;
  /** True for the grants of CI tokens, which have no refresh token: get-token asks for a new token each time. */
  noRefreshByDesign: boolean;
  /** Whether kubectl gets the access token (--oidc-use-access-token). */
  useAccessToken: boolean;
  /** `--login-hint`, when given: the account the login was meant for. */
  loginHint?: string | undefined;
}

/** The signing algorithm a default kube-apiserver accepts. */
const DEFAULT_API_SERVER_ALGORITHM = 'RS256';
/** Asymmetric families the API server can be configured to accept. */
const CONFIGURABLE_ALGORITHM = /^(RS|PS|ES)(256|384|512)$/;
/** Longer-lived ID tokens keep working long after a user is removed at the provider. */
const LONG_LIFETIME_SECONDS = 24 * 60 * 60;

const pass = (name: string, reason: string): CheckResult => ({ status: 'pass', name, reason });
const warn = (name: string, reason: string): CheckResult => ({ status: 'warn', name, reason });
const fail = (name: string, reason: string): CheckResult => ({ status: 'fail', name, reason });

function checkIssuer({ claims, issuerUrl }: CheckInput): CheckResult {
  return claims.iss === issuerUrl
    ? pass('issuer', `iss is ${issuerUrl}`)
    : fail('issuer', `iss is ${JSON.stringify(claims.iss)}, not ${issuerUrl}: the API server compares them exactly`);
}

function checkIssuerScheme({ issuerUrl }: CheckInput): CheckResult {
  return new URL(issuerUrl).protocol === 'https:'
    ? pass('https issuer', 'the issuer URL is https, as the API server requires')
    : fail('https issuer', `${issuerUrl} is not https: the API server refuses an issuer URL that is not https`);
}

function checkAudience({ claims, audience }: CheckInput): CheckResult {
  const audiences = Array.isArray(claims['aud']) ? claims['aud'] : [claims['aud']];
  return audiences.includes(audience)
    ? pass('audience', `aud contains ${audience}`)
    : fail('audience', `aud is ${JSON.stringify(claims['aud'])}, which does not contain ${audience}`);
}

function checkAlgorithm({ algorithm }: CheckInput): CheckResult {
  if (algorithm === DEFAULT_API_SERVER_ALGORITHM)
    return pass('signing algorithm', `${algorithm}, which a default API server accepts`);
  if (algorithm !== undefined && CONFIGURABLE_ALGORITHM.test(algorithm)) {
    return warn(
      'signing algorithm',
      `${algorithm}: the API server needs it configured (--oidc-signing-algs=${algorithm})`,
    );
  }
  return fail('signing algorithm', `${algorithm ?? 'none'}: the API server accepts only asymmetric algorithms`);
}

function checkUsername({ claims, usernameClaim }: CheckInput): CheckResult[] {
  const value = claims[usernameClaim];
  const results = [
    typeof value === 'string' && value !== ''
      ? pass('username claim', `${usernameClaim} is ${JSON.stringify(value)}`)
      : fail('username claim', `the token has no string claim ${usernameClaim}; set --username-claim to one it has`),
  ];
  if (usernameClaim === 'email') {
    const verified = claims['email_verified'];
    results.push(
      verified === false
        ? fail(
            'email_verified',
            'email_verified is false: the API server rejects the token when the username claim is email',
          )
        : verified === true
          ? pass('email_verified', 'email_verified is true')
          : pass('email_verified', 'email_verified is absent, which the API server allows'),
    );
  }
  return results;
}

function checkGroups({ claims, groupsClaim }: CheckInput): CheckResult {
  const groups = claims[groupsClaim];
  if (groups === undefined)
    return warn('groups claim', `the token has no ${groupsClaim} claim: group role bindings will not apply`);
  if (typeof groups === 'string') return pass('groups claim', `${groupsClaim} is the string ${JSON.stringify(groups)}`);
  if (Array.isArray(groups) && groups.every((group) => typeof group === 'string')) {
    return pass('groups claim', `${groupsClaim} is ${JSON.stringify(groups)}`);
  }
  return fail(
    'groups claim',
    `${groupsClaim} is ${JSON.stringify(groups)}: the API server needs a string or a list of strings`,
  );
}

/** Why the CI grants need no refresh token. */
const NO_REFRESH_BY_DESIGN = 'this grant has no refresh token: get-token asks again each time';

function checkRefreshToken({ refreshTokenReceived, noRefreshByDesign }: CheckInput): CheckResult {
  if (!refreshTokenReceived && noRefreshByDesign) return pass('refresh token', `none: ${NO_REFRESH_BY_DESIGN}`);
  return refreshTokenReceived
    ? pass('refresh token', 'received: kubelogin renews the ID token without a browser')
    : warn('refresh token', 'none received: every expiry needs a new login; ask for --oidc-extra-scope=offline_access');
}

function checkRenewal({ renewal, claims, useAccessToken, noRefreshByDesign }: CheckInput): CheckResult[] {
  if (renewal === undefined && noRefreshByDesign) return [pass('renewal', `not tried: ${NO_REFRESH_BY_DESIGN}`)];
  if (renewal === undefined)
    return [warn('renewal', 'not tried: with no refresh token, kubectl needs a new login whenever the token expires')];
  switch (renewal.kind) {
    case 'renewed':
      return [
        pass(
          'renewal',
          `a refresh returned a new ${useAccessToken ? 'token' : 'ID token'}${renewal.rotated ? ' and a new refresh token' : ''}: kubectl keeps working without a browser`,
        ),
      ];
    case 'no-id-token': {
      const lifetime =
        typeof claims.exp === 'number' && typeof claims.iat === 'number'
          ? formatDuration(claims.exp - claims.iat)
          : 'token lifetime';
      return [
        fail(
          'renewal',
          `a refresh returned no new ID token (OIDC allows it): kubectl will need a browser login every ${lifetime}; ` +
            '--oidc-use-access-token avoids it when the API server accepts the access token, or set the provider to return an ID token on refresh',
        ),
      ];
    }
    case 'failed':
      return [fail('renewal', `a refresh failed: ${renewal.reason}`)];
  }
}

function checkLifetime({ claims }: CheckInput): CheckResult {
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number')
    return fail('lifetime', 'the token lacks exp or iat');
  const lifetime = claims.exp - claims.iat;
  return lifetime > LONG_LIFETIME_SECONDS
    ? warn('lifetime', `${formatDuration(lifetime)}: over a day, so access outlives a user's removal at the provider`)
    : pass('lifetime', formatDuration(lifetime));
}

/** Claims that name the account a person logged in as, in the order they are compared with the login hint. */
const ACCOUNT_CLAIMS = ['email', 'preferred_username', 'upn', 'sub'] as const;

/** Whether the provider logged in the account `--login-hint` named: providers may ignore the hint. */
function checkLoginHint({ claims, loginHint }: CheckInput): CheckResult[] {
  if (loginHint === undefined) return [];
  const wanted = loginHint.toLowerCase();
  const matching = ACCOUNT_CLAIMS.find((claim) => String(claims[claim] ?? '').toLowerCase() === wanted);
  if (matching !== undefined) return [pass('login hint', `${matching} is ${JSON.stringify(loginHint)}, as hinted`)];
  const named = ACCOUNT_CLAIMS.filter((claim) => claims[claim] !== undefined)
    .map((claim) => `${claim} ${JSON.stringify(claims[claim])}`)
    .join(', ');
  return [
    warn(
      'login hint',
      `the token names ${named || 'no account'}, not ${JSON.stringify(loginHint)}: the provider may have ignored login_hint, or another account was chosen; the cache entry of this hint holds that account's token`,
    ),
  ];
}

/** Runs every check, in the order they are shown. */
export function runSetupChecks(input: CheckInput): CheckResult[] {
  return [
    checkIssuer(input),
    checkIssuerScheme(input),
    checkAudience(input),
    checkAlgorithm(input),
    ...checkUsername(input),
    ...checkLoginHint(input),
    checkGroups(input),
    checkRefreshToken(input),
    ...checkRenewal(input),
    checkLifetime(input),
  ];
}
