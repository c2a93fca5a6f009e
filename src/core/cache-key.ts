/**
 * The canonical token cache key: everything that changes which token you get,
 * encoded with sorted keys and a version so it is the same on every run
 * whatever the order of flags and map entries.
 */
import { exchangeAudienceOf, type GetTokenOptions, type Grant, type SubjectTokenSource } from './options.ts';
import { sha256Hex } from './sha256-hex.ts';

/** Bump when the meaning of a key changes, so old entries become misses instead of wrong hits. */
const CACHE_KEY_VERSION = 1;

/** The inputs that select a token. Absent values and empty lists are treated alike. */
export interface CacheKeyInput {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** SHA-256 of the `--oidc-client-assertion-key` file; absent without one, so existing keys stay. */
  clientAssertionKey?: string | undefined;
  scopes: readonly string[];
  redirectUrl?: string | undefined;
  pkceMethod: string;
  useAccessToken: boolean;
  requestHeaders: Readonly<Record<string, string>>;
  authRequestExtraParams: Readonly<Record<string, string>>;
  certificateAuthorities: readonly string[];
  certificateAuthorityData: readonly string[];
  insecureSkipTLSVerify: boolean;
  /** Only for the token-exchange grant: where its subject token comes from (`github-actions`, `file:<path>`), which decides whose token it is. */
  subjectTokenSource?: string | undefined;
  /** Only for `--exchange-audience`: each audience's token is cached on its own, beside the login's (whose key has none). */
  exchangeAudience?: string | undefined;
  /** Only for the password grant: each user has their own token. */
  username?: string | undefined;
  /** Only with `--login-hint`: each account has its own token; absent without one, so existing keys stay. */
  loginHint?: string | undefined;
}

/** The distinct values, sorted. */
function sortedSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** The subject token source as the cache key holds it. */
function subjectTokenSourceKey(source: SubjectTokenSource): string {
  return source.kind === 'file' ? `file:${source.path}` : source.kind;
}

/** What of the grant selects a token: the password grant's user, the exchanged token's source. */
function grantKeyInput(grant: Grant): Pick<CacheKeyInput, 'username' | 'subjectTokenSource'> {
  switch (grant.type) {
    case 'auto': // the password grant when --username is given
    case 'password':
      return { username: grant.username };
    case 'token-exchange':
      return { subjectTokenSource: subjectTokenSourceKey(grant.subjectToken.source) };
    case 'authcode':
    case 'authcode-keyboard':
    case 'device-code':
    case 'client-credentials':
    case 'token-file':
    case 'github-actions':
      return {};
  }
}

/** The cache key of the token kubectl gets: the exchanged token's for `--exchange-audience`, else the login's. */
export function credentialCacheKey(options: GetTokenOptions): { key: string; loginKey: string } {
  const input = cacheKeyInput(options);
  const loginKey = computeCacheKey(input);
  const exchangeAudience = exchangeAudienceOf(options.grant);
  if (exchangeAudience === undefined) return { key: loginKey, loginKey };
  return { key: computeCacheKey({ ...input, exchangeAudience }), loginKey };
}

/** The cache key inputs of a get-token run: those of its login, without `--exchange-audience`. */
export function cacheKeyInput(options: GetTokenOptions): CacheKeyInput {
  const { provider } = options;
  return {
    issuer: provider.issuerUrl,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    clientAssertionKey: provider.clientAssertionKey?.fingerprint,
    // Scopes and CAs are sets: their order changes neither the token nor the trust.
    scopes: sortedSet(provider.extraScopes),
    redirectUrl: options.browser.redirectUrl,
    pkceMethod: provider.pkceMethod,
    useAccessToken: provider.useAccessToken,
    requestHeaders: provider.requestHeaders,
    authRequestExtraParams: provider.authRequestExtraParams,
    certificateAuthorities: sortedSet(provider.certificateAuthorities),
    certificateAuthorityData: sortedSet(provider.certificateAuthorityData),
    insecureSkipTLSVerify: provider.insecureSkipTLSVerify,
    loginHint: provider.loginHint,
    ...grantKeyInput(options.grant),
  };
}

/**
 * Serialises a value as JSON with object keys sorted at every level. Plain loops: on a cold hit in
 * the executable, each array method called with a function is one more builtin to compile.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) parts.push(canonicalJson(item));
    return `[${parts.join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // The default sort orders keys by UTF-16 code units, as `<` compares strings.
    for (const key of Object.keys(record).sort()) {
      if (record[key] !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Returns the cache key: lowercase hex SHA-256 of the versioned canonical encoding. */
export function computeCacheKey(input: CacheKeyInput): string {
  return sha256Hex(canonicalJson({ version: CACHE_KEY_VERSION, ...input }));
}
