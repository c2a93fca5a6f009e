/**
 * Conversion of parsed flag values into typed options: validation, defaults
 * (from the flag table) and `~` expansion, shared by every command and both
 * parsers.
 */
import { MAX_TIMER_SECONDS } from '../core/durations.ts';
import { UsageError } from '../core/errors.ts';
import type {
  ClientAssertionKey,
  GetTokenOptions,
  Grant,
  LocalServerTlsFiles,
  LoginOptions,
  SubjectToken,
  TokenCache,
} from '../core/options.ts';
import { expandHome, type PathEnvironment, tokenCacheDirFrom } from '../core/paths.ts';
import { keyFileFingerprint } from '../io/key-fingerprint.ts';
import {
  attributeName,
  defaultsOf,
  GET_TOKEN_FLAGS,
  GITHUB_ACTIONS_ISSUER,
  LISTEN_PORT_HOST,
  LOGIN_FLAGS,
  type RawFlags,
} from './flag-specs.ts';

/** Parsed values of the login flags, by attribute name. */
export type RawLoginFlags = RawFlags<typeof LOGIN_FLAGS>;

/** Parsed values of the get-token flags. */
export type RawGetTokenFlags = RawFlags<typeof GET_TOKEN_FLAGS>;

/** The defaults of get-token's flags. */
const DEFAULTS = defaultsOf(GET_TOKEN_FLAGS);

/** The deprecated login flags still accepted from old kubeconfigs: attribute name and the warning. */
export const DEPRECATIONS: ReadonlyArray<readonly [keyof RawLoginFlags, string]> = LOGIN_FLAGS.flatMap((spec) =>
  'deprecated' in spec
    ? [[attributeName(spec.name) as keyof RawLoginFlags, `--${spec.name} is deprecated; ${spec.deprecated}`] as const]
    : [],
);

/** The listen addresses of the deprecated `--listen-port`s. */
export function listenAddressesOfPorts(ports: readonly number[]): string[] {
  return ports.map((port) => `${LISTEN_PORT_HOST}:${port}`);
}

/** A duration flag's value in milliseconds, after checking it lies between 1 second and what a timer can wait. */
function durationMs(flag: string, seconds: number): number {
  if (seconds < 1 || seconds > MAX_TIMER_SECONDS) {
    throw new UsageError(`--${flag} must be between 1 and ${MAX_TIMER_SECONDS} seconds, got ${seconds}`);
  }
  return seconds * 1000;
}

/** Checks that a flag holds an absolute http(s) URL and returns it. */
function requireHttpUrl(flag: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${flag} must be an absolute http or https URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`--${flag} must be an http or https URL, got ${JSON.stringify(value)}`);
  }
  return url;
}

/** Checks a `host:port` listen address. */
function checkListenAddress(address: string): string {
  const match = /^(.*):(\d{1,5})$/.exec(address);
  if (!match || match[1] === '' || Number(match[2]) > 65535) {
    throw new UsageError(`--listen-address takes host:port, got ${JSON.stringify(address)}`);
  }
  return address;
}

/** An HTTP header name: an RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Characters no HTTP header value may hold: they would end the header or the request. */
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

/** Checks the `--oidc-request-header` entries, which would otherwise fail only at the first request. */
function checkRequestHeaders(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name))
      throw new UsageError(`--oidc-request-header has an invalid header name ${JSON.stringify(name)}`);
    if (HEADER_VALUE_FORBIDDEN.test(value))
      throw new UsageError(`--oidc-request-header ${name} has a line break or NUL in its value`);
  }
  return headers;
}

/** The loopback server's certificate and key files: both flags or neither. */
function localServerTls(raw: RawLoginFlags, world: PathEnvironment): LocalServerTlsFiles | undefined {
  const { localServerCert: cert, localServerKey: key } = raw;
  if (!cert && !key) return undefined;
  if (!key) throw new UsageError('--local-server-cert needs --local-server-key');
  if (!cert) throw new UsageError('--local-server-key needs --local-server-cert');
  return { certFile: expandHome(cert, world), keyFile: expandHome(key, world) };
}

/**
 * `--oidc-issuer-url` and `--oidc-client-id`, checked for the grant: both are
 * required, except that github-actions defaults the issuer to GitHub's, and
 * token-file needs neither (it then hands the file's token over unverified)
 * but the client ID, the audience checked, whenever it verifies.
 */
function issuerAndClient(raw: RawLoginFlags): { issuerUrl: string; clientId: string } {
  const grant = raw.grantType;
  if (grant === 'token-file' && !raw.oidcIssuerUrl) {
    if (raw.oidcClientId)
      throw new UsageError(
        '--oidc-client-id with --grant-type=token-file needs --oidc-issuer-url to verify the token against',
      );
    return { issuerUrl: '', clientId: '' };
  }
  const issuerUrl = raw.oidcIssuerUrl || (grant === 'github-actions' ? GITHUB_ACTIONS_ISSUER : undefined);
  if (!issuerUrl) throw new UsageError('--oidc-issuer-url is required');
  requireHttpUrl('oidc-issuer-url', issuerUrl);
  if (!raw.oidcClientId) {
    const audience = grant === 'github-actions' || grant === 'token-file' ? ' (the audience the token must have)' : '';
    throw new UsageError(`--oidc-client-id is required${audience}`);
  }
  return { issuerUrl, clientId: raw.oidcClientId };
}

/** `--token-file` (`~` expanded), which the token-file grant requires. */
function requiredTokenFile(raw: RawLoginFlags, world: PathEnvironment): string {
  if (!raw.tokenFile) throw new UsageError('--grant-type=token-file needs --token-file');
  return expandHome(raw.tokenFile, world);
}

/** Refuses `--token-file` for the grants other than token-file. */
function refuseTokenFile(raw: RawLoginFlags): void {
  if (raw.tokenFile !== undefined) throw new UsageError('--token-file needs --grant-type=token-file');
}

/** The prefix of a file in `--subject-token-source`. */
const FILE_SOURCE_PREFIX = 'file:';

/** `--subject-token-source` and `--subject-token-type`, which the token-exchange grant requires. */
function requiredSubjectToken(raw: RawLoginFlags, world: PathEnvironment): SubjectToken {
  const { subjectTokenSource: source, subjectTokenType: type } = raw;
  if (!source)
    throw new UsageError('--grant-type=token-exchange needs --subject-token-source (github-actions or file:<path>)');
  const tokenType = type || DEFAULTS.subjectTokenType;
  if (source === 'github-actions') return { source: { kind: 'github-actions' }, type: tokenType };
  if (source.startsWith(FILE_SOURCE_PREFIX) && source.length > FILE_SOURCE_PREFIX.length) {
    return {
      source: { kind: 'file', path: expandHome(source.slice(FILE_SOURCE_PREFIX.length), world) },
      type: tokenType,
    };
  }
  throw new UsageError(`--subject-token-source takes github-actions or file:<path>, got ${JSON.stringify(source)}`);
}

/** Refuses `--subject-token-source` and `--subject-token-type` for the grants other than token-exchange. */
function refuseSubjectToken(raw: RawLoginFlags): void {
  if (raw.subjectTokenSource !== undefined)
    throw new UsageError('--subject-token-source needs --grant-type=token-exchange');
  if (raw.subjectTokenType !== undefined)
    throw new UsageError('--subject-token-type needs --grant-type=token-exchange');
}

/** `--exchange-audience`, for the grants that log in at the provider. */
function exchangeAudienceOf(raw: RawLoginFlags): string | undefined {
  if (raw.exchangeAudience === '') throw new UsageError('--exchange-audience must not be empty');
  return raw.exchangeAudience;
}

/** Refuses `--exchange-audience` for the grants that take a CI token instead of logging in at the provider. */
function refuseExchangeAudience(raw: RawLoginFlags, grant: 'token-file' | 'github-actions' | 'token-exchange'): void {
  if (exchangeAudienceOf(raw) === undefined) return;
  throw new UsageError(`--exchange-audience does not go with --grant-type=${grant}`, {
    hint:
      grant === 'token-exchange'
        ? 'the token-exchange grant asks for the client ID as audience'
        : 'use it with a grant that logs in at the provider',
  });
}

/** The parameter `--login-hint` sends; giving it also as an extra parameter would send two. */
const LOGIN_HINT_PARAMETER = 'login_hint';

/** `--login-hint`: not empty, and not also given as an extra parameter of the authorization request. */
function loginHintOf(raw: RawLoginFlags): string | undefined {
  const hint = raw.loginHint;
  if (hint === undefined) return undefined;
  if (hint === '') throw new UsageError('--login-hint must not be empty');
  if (raw.oidcAuthRequestExtraParams?.[LOGIN_HINT_PARAMETER] !== undefined) {
    throw new UsageError(
      `--login-hint and --oidc-auth-request-extra-params ${LOGIN_HINT_PARAMETER}=... both set the login hint; keep --login-hint`,
    );
  }
  return hint;
}

/** Refuses `--login-hint` for the grants that never ask the person at the provider who they are. */
function refuseLoginHint(raw: RawLoginFlags, grant: string): void {
  if (raw.loginHint === undefined) return;
  throw new UsageError(`--login-hint does not go with ${grant}`, {
    hint: 'it is sent with the browser and device code logins (--grant-type=authcode, authcode-keyboard or device-code)',
  });
}

/**
 * `--grant-type` and the settings of that grant. Each grant's flags are
 * checked in the same order (the token file, the subject token, the
 * audience), so the first of several mistakes is always the one reported.
 */
function grantOf(raw: RawLoginFlags, world: PathEnvironment): Grant {
  const type = raw.grantType ?? DEFAULTS.grantType;
  switch (type) {
    case 'token-file': {
      const tokenFile = requiredTokenFile(raw, world);
      refuseSubjectToken(raw);
      refuseExchangeAudience(raw, type);
      refuseLoginHint(raw, `--grant-type=${type}`);
      return { type, tokenFile };
    }
    case 'token-exchange': {
      refuseTokenFile(raw);
      const subjectToken = requiredSubjectToken(raw, world);
      refuseExchangeAudience(raw, type);
      refuseLoginHint(raw, `--grant-type=${type}`);
      return { type, subjectToken };
    }
    case 'github-actions':
      refuseTokenFile(raw);
      refuseSubjectToken(raw);
      refuseExchangeAudience(raw, type);
      refuseLoginHint(raw, `--grant-type=${type}`);
      return { type };
    case 'auto':
    case 'password':
      refuseTokenFile(raw);
      refuseSubjectToken(raw);
      if (type === 'password' || raw.username) refuseLoginHint(raw, 'the password grant (--username names the user)');
      return {
        type,
        username: raw.username || undefined,
        password: raw.password || undefined,
        exchangeAudience: exchangeAudienceOf(raw),
      };
    case 'client-credentials':
      refuseTokenFile(raw);
      refuseSubjectToken(raw);
      refuseLoginHint(raw, `--grant-type=${type}`);
      return { type, exchangeAudience: exchangeAudienceOf(raw) };
    case 'authcode':
    case 'authcode-keyboard':
    case 'device-code':
      refuseTokenFile(raw);
      refuseSubjectToken(raw);
      return { type, exchangeAudience: exchangeAudienceOf(raw) };
  }
}

/** The `--oidc-client-assertion-*` flags; the key excludes a client secret, and kid, alg and audience need the key. */
function clientAssertionKey(raw: RawLoginFlags, world: PathEnvironment): ClientAssertionKey | undefined {
  const {
    oidcClientAssertionKey: keyFile,
    oidcClientAssertionKid: kid,
    oidcClientAssertionAlg: alg,
    oidcClientAssertionAudience: audiences = [],
  } = raw;
  if (!keyFile) {
    if (kid !== undefined) throw new UsageError('--oidc-client-assertion-kid needs --oidc-client-assertion-key');
    if (alg !== undefined) throw new UsageError('--oidc-client-assertion-alg needs --oidc-client-assertion-key');
    if (audiences.length > 0)
      throw new UsageError('--oidc-client-assertion-audience needs --oidc-client-assertion-key');
    return undefined;
  }
  if (audiences.includes('')) throw new UsageError('--oidc-client-assertion-audience must not be empty');
  if (raw.oidcClientSecret) {
    throw new UsageError(
      '--oidc-client-assertion-key and --oidc-client-secret exclude each other: the client authenticates with one of them',
    );
  }
  const path = expandHome(keyFile, world);
  return {
    keyFile: path,
    fingerprint: keyFileFingerprint('oidc-client-assertion-key', path),
    kid: kid || undefined,
    alg,
    audiences,
  };
}

/** Converts and validates the login flags; `warn` receives deprecation notices. */
export function toLoginOptions(
  raw: RawLoginFlags,
  world: PathEnvironment,
  warn: (message: string) => void,
): LoginOptions {
  for (const [name, notice] of DEPRECATIONS) {
    if (raw[name] !== undefined) warn(notice);
  }
  const { issuerUrl, clientId } = issuerAndClient(raw);

  const redirectUrl = raw.oidcRedirectUrl ?? raw.oidcRedirectUrlAuthcodeKeyboard;
  // An http(s) URL, or a URN such as the keyboard flow's out-of-band urn:ietf:wg:oauth:2.0:oob (the browser flow checks for http).
  if (redirectUrl !== undefined && !/^urn:[a-z0-9][a-z0-9-]*:\S+$/i.test(redirectUrl)) {
    requireHttpUrl(raw.oidcRedirectUrl ? 'oidc-redirect-url' : 'oidc-redirect-url-authcode-keyboard', redirectUrl);
  }
  if (raw.openUrlAfterAuthentication !== undefined)
    requireHttpUrl('open-url-after-authentication', raw.openUrlAfterAuthentication);
  const authenticationTimeoutMs = durationMs(
    'authentication-timeout-sec',
    raw.authenticationTimeoutSec ?? DEFAULTS.authenticationTimeoutSec,
  );

  const listenAddresses = raw.listenAddress?.length
    ? raw.listenAddress.map(checkListenAddress)
    : raw.listenPort?.length
      ? listenAddressesOfPorts(raw.listenPort)
      : [...DEFAULTS.listenAddress];

  return {
    provider: {
      issuerUrl,
      clientId,
      clientSecret: raw.oidcClientSecret || undefined,
      clientAssertionKey: clientAssertionKey(raw, world),
      extraScopes: raw.oidcExtraScope ?? [],
      pkceMethod: raw.oidcUsePkce ? 'S256' : (raw.oidcPkceMethod ?? DEFAULTS.oidcPkceMethod),
      authRequestExtraParams: raw.oidcAuthRequestExtraParams ?? {},
      loginHint: loginHintOf(raw),
      requestHeaders: checkRequestHeaders(raw.oidcRequestHeader ?? {}),
      deviceAuthorizationEndpoint:
        raw.oidcDeviceAuthorizationEndpoint === undefined
          ? undefined
          : requireHttpUrl('oidc-device-authorization-endpoint', raw.oidcDeviceAuthorizationEndpoint).href,
      useAccessToken: raw.oidcUseAccessToken ?? false,
      certificateAuthorities: (raw.certificateAuthority ?? []).map((path) => expandHome(path, world)),
      certificateAuthorityData: raw.certificateAuthorityData ?? [],
      insecureSkipTLSVerify: raw.insecureSkipTlsVerify ?? false,
    },
    browser: {
      listenAddresses,
      redirectUrl,
      redirectUrlHostname: raw.oidcRedirectUrlHostname ?? DEFAULTS.oidcRedirectUrlHostname,
      skipOpenBrowser: raw.skipOpenBrowser ?? false,
      browserCommand: raw.browserCommand || undefined,
      showQrCode: !(raw.noQr ?? false),
      authenticationTimeoutMs,
      openUrlAfterAuthentication: raw.openUrlAfterAuthentication,
      localServerTls: localServerTls(raw, world),
    },
    grant: grantOf(raw, world),
  };
}

/** `--token-cache-storage` and `--token-cache-dir`; the directory is not looked for (nor HOME needed) with `none`. */
export function tokenCache(raw: RawGetTokenFlags, world: PathEnvironment): TokenCache {
  const storage = raw.tokenCacheStorage ?? DEFAULTS.tokenCacheStorage;
  return storage === 'none' ? { storage } : { storage, dir: tokenCacheDirFrom(raw.tokenCacheDir, world) };
}

/** Converts and validates the get-token flags. */
export function toGetTokenOptions(
  raw: RawGetTokenFlags,
  world: PathEnvironment,
  warn: (message: string) => void,
): GetTokenOptions {
  return {
    ...toLoginOptions(raw, world, warn),
    cache: tokenCache(raw, world),
    forceRefresh: raw.forceRefresh ?? false,
  };
}
