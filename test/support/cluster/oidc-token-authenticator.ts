/**
 * Bearer token checks as kube-apiserver's OIDC authenticator makes them (see "OpenID Connect
 * Tokens" in the Kubernetes authentication documentation): RS256 JWS signed with a key from the
 * issuer's discovered JWKS, exact `iss`, `aud` containing the audience, `exp` without leeway, `nbf`
 * with one minute, and the username and groups taken from configured claims.
 */
import { createRemoteJWKSet, decodeJwt, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

/** How the authenticator is configured, like kube-apiserver's `jwt` authenticator entry. */
export interface OidcAuthenticatorOptions {
  /** Issuer URL, compared with `iss` exactly. */
  issuer: string;
  /** The client ID that `aud` must contain. */
  audience: string;
  /** Claim holding the username (default `sub`); non-email claims get an `<issuer>#` prefix. */
  usernameClaim?: string;
  /** Claim holding the groups (string or array of strings); none when unset. */
  groupsClaim?: string;
  /**
   * `--oidc-username-prefix`: put before the username instead of the default (`<issuer>#` for a
   * claim other than email, nothing for email); `-` for no prefix at all.
   */
  usernamePrefix?: string;
  /** `--oidc-groups-prefix`: put before every group (default none). */
  groupsPrefix?: string;
}

/** Who a valid token belongs to. */
export interface Identity {
  username: string;
  groups: string[];
}

/** kube-apiserver accepts tokens up to one minute before their `nbf`. */
const NOT_BEFORE_LEEWAY_SECONDS = 60;
/** The only algorithm kube-apiserver accepts unless configured otherwise. */
const ALGORITHMS = ['RS256'];
/** The claim that needs no issuer prefix and requires `email_verified`. */
const EMAIL_CLAIM = 'email';

/** Returns `exp` of a token without checking it, for logs; undefined if it is not a JWT. */
export function unverifiedExpiry(token: string): number | undefined {
  try {
    return decodeJwt(token).exp;
  } catch {
    return undefined;
  }
}

/** Returns `iss` of a token without checking it, to pick its authenticator; undefined if it is not a JWT. */
export function unverifiedIssuer(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

async function discoverKeys(issuer: string): Promise<JWTVerifyGetKey> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery of ${issuer} failed with HTTP ${response.status}`);
  const metadata = (await response.json()) as { issuer?: string; jwks_uri?: string };
  if (metadata.issuer !== issuer) throw new Error(`discovery of ${issuer} names issuer ${metadata.issuer}`);
  if (metadata.jwks_uri === undefined) throw new Error(`discovery of ${issuer} has no jwks_uri`);
  return createRemoteJWKSet(new URL(metadata.jwks_uri));
}

function groupsOf(payload: JWTPayload, claim: string | undefined): string[] {
  if (claim === undefined) return [];
  const value = payload[claim];
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((group) => typeof group === 'string')) return value;
  throw new Error(`claim ${claim} is neither a string nor an array of strings`);
}

/** kube-apiserver's `--oidc-username-prefix` value that means no prefix. */
const NO_PREFIX = '-';

function usernameOf(payload: JWTPayload, issuer: string, claim: string, prefix: string | undefined): string {
  const value = payload[claim];
  if (typeof value !== 'string') throw new Error(`claim ${claim} is missing or not a string`);
  if (claim === EMAIL_CLAIM && payload['email_verified'] !== undefined && payload['email_verified'] !== true) {
    throw new Error('email_verified is present and not true');
  }
  if (prefix === NO_PREFIX) return value;
  if (prefix !== undefined) return `${prefix}${value}`;
  return claim === EMAIL_CLAIM ? value : `${issuer}#${value}`;
}

/**
 * Returns a function that resolves with the identity of a bearer token or rejects with the reason
 * it is not valid. The issuer's discovery document is fetched on first use and again after a failure.
 */
export function oidcAuthenticator(options: OidcAuthenticatorOptions): (token: string) => Promise<Identity> {
  const { issuer, audience, usernameClaim = 'sub', groupsClaim, usernamePrefix, groupsPrefix = '' } = options;
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const getKeys = () =>
    (keys ??= discoverKeys(issuer).catch((error: unknown) => {
      keys = undefined;
      throw error;
    }));

  return async (token) => {
    const { payload } = await jwtVerify(token, await getKeys(), {
      issuer,
      audience,
      algorithms: ALGORITHMS,
      requiredClaims: ['exp'],
      // jose applies one tolerance to both nbf and exp; exp gets none, checked below.
      clockTolerance: NOT_BEFORE_LEEWAY_SECONDS,
    });
    if (Date.now() / 1000 > (payload.exp as number)) throw new Error('token has expired');
    return {
      username: usernameOf(payload, issuer, usernameClaim, usernamePrefix),
      groups: groupsOf(payload, groupsClaim).map((group) => `${groupsPrefix}${group}`),
    };
  };
}
