/** The `get-token` flags that log in to the test provider, as a kubeconfig's exec block passes them. */
import { passwordOf } from './provider/password-grant.ts';
import { TEST_CLIENTS } from './provider/test-provider.ts';

/** Scopes that put email, groups and a refresh token into the login's result. */
const EXTRA_SCOPES = 'email,groups,offline_access';
/** Any free loopback port, so that parallel runs never collide on 8000. */
const ANY_LOOPBACK_PORT = '127.0.0.1:0';

/** Options of {@link getTokenArgs}. */
export interface GetTokenArgsOptions {
  issuer: string;
  /** `--browser-command`; without it the CLI opens the default browser. */
  browserCommand?: string;
  /** `--authentication-timeout-sec`; the CLI's default (180 s) when unset. */
  authenticationTimeoutSec?: number;
  /** `--token-cache-dir`; the CLI's default (`~/.kube/cache/oidc-login`) when unset. */
  tokenCacheDir?: string;
  /** `--oidc-client-id` (default: the native client `kubernetes`). */
  clientId?: string;
  /** `--oidc-client-secret`; none (a public client) when unset. */
  clientSecret?: string;
  /** `--grant-type`; the CLI's default (`auto`) when unset. */
  grantType?: string;
  /** `--oidc-extra-scope` values (default email, groups and offline_access); empty for none. */
  extraScopes?: readonly string[];
  /** `--oidc-auth-request-extra-params` entries, one `k=v` flag each. */
  extraParams?: Readonly<Record<string, string>>;
  /** `--listen-address` (default: any free port on 127.0.0.1). */
  listenAddress?: string;
}

/** `get-token` and its flags for the test provider's native client `kubernetes` unless told otherwise. */
export function getTokenArgs(options: GetTokenArgsOptions): string[] {
  const extraScopes = options.extraScopes === undefined ? EXTRA_SCOPES : options.extraScopes.join(',');
  return [
    'get-token',
    `--oidc-issuer-url=${options.issuer}`,
    `--oidc-client-id=${options.clientId ?? TEST_CLIENTS.native}`,
    ...(options.clientSecret === undefined ? [] : [`--oidc-client-secret=${options.clientSecret}`]),
    ...(extraScopes === '' ? [] : [`--oidc-extra-scope=${extraScopes}`]),
    ...(options.grantType === undefined ? [] : [`--grant-type=${options.grantType}`]),
    ...Object.entries(options.extraParams ?? {}).map(
      ([name, value]) => `--oidc-auth-request-extra-params=${name}=${value}`,
    ),
    `--listen-address=${options.listenAddress ?? ANY_LOOPBACK_PORT}`,
    ...(options.browserCommand === undefined ? [] : [`--browser-command=${options.browserCommand}`]),
    ...(options.authenticationTimeoutSec === undefined
      ? []
      : [`--authentication-timeout-sec=${options.authenticationTimeoutSec}`]),
    ...(options.tokenCacheDir === undefined ? [] : [`--token-cache-dir=${options.tokenCacheDir}`]),
  ];
}

/**
 * A password login as alice that keeps no cache: a login without a browser, for scenarios about
 * the connection to the provider (TLS, proxies, answers) that log in on every run.
 */
export const PASSWORD_LOGIN_FLAGS: readonly string[] = [
  '--grant-type=password',
  '--username=alice',
  `--password=${passwordOf('alice')}`,
  '--token-cache-storage=none',
];
