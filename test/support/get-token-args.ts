/** The `get-token` flags that log in to the test provider, as a kubeconfig's exec block passes them. */
import { TEST_CLIENTS } from './test-provider.ts';

/** Scopes that put email, groups and a refresh token into the login's result. */
const EXTRA_SCOPES = 'email,groups,offline_access';
/** Any free loopback port, so that parallel runs never collide on 8000. */
const LISTEN_ADDRESS = '127.0.0.1:0';

/** Options of {@link getTokenArgs}. */
export interface GetTokenArgsOptions {
  issuer: string;
  /** `--browser-command`; without it the CLI opens the default browser. */
  browserCommand?: string;
  /** `--authentication-timeout-sec`; the CLI's default (180 s) when unset. */
  authenticationTimeoutSec?: number;
  /** `--token-cache-dir`; the CLI's default (`~/.kube/cache/oidc-login`) when unset. */
  tokenCacheDir?: string;
}

/** `get-token` and its flags for the test provider's native client `kubernetes`. */
export function getTokenArgs(options: GetTokenArgsOptions): string[] {
  return [
    'get-token',
    `--oidc-issuer-url=${options.issuer}`,
    `--oidc-client-id=${TEST_CLIENTS.native}`,
    `--oidc-extra-scope=${EXTRA_SCOPES}`,
    `--listen-address=${LISTEN_ADDRESS}`,
    ...(options.browserCommand === undefined ? [] : [`--browser-command=${options.browserCommand}`]),
    ...(options.authenticationTimeoutSec === undefined ? [] : [`--authentication-timeout-sec=${options.authenticationTimeoutSec}`]),
    ...(options.tokenCacheDir === undefined ? [] : [`--token-cache-dir=${options.tokenCacheDir}`]),
  ];
}
