/** Provider options as the flag conversion makes them for a public client with no other flag, for unit tests. */
import type { ProviderOptions } from '../../src/core/options.ts';

/** The options of `--oidc-issuer-url=<issuerUrl> --oidc-client-id=<clientId>` alone, with `overrides` on top. */
export function providerOptions(
  overrides: Partial<ProviderOptions> & Pick<ProviderOptions, 'issuerUrl' | 'clientId'>,
): ProviderOptions {
  return {
    clientSecret: undefined,
    extraScopes: [],
    pkceMethod: 'auto',
    authRequestExtraParams: {},
    requestHeaders: {},
    useAccessToken: false,
    certificateAuthorities: [],
    certificateAuthorityData: [],
    insecureSkipTLSVerify: false,
    ...overrides,
  };
}
