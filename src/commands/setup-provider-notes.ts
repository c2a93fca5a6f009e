/**
 * What `setup` tells the users of providers it recognises: the two or three
 * settings each needs that users otherwise meet as mysteries. One table,
 * recognising a provider by its issuer's host or by its discovery document
 * (for self-hosted ones and custom domains).
 */

/** What a provider is recognised by: its issuer and, when setup discovered it, its discovery document. */
export interface ProviderFacts {
  issuer: URL;
  /** The discovery document; undefined when setup did not fetch it (the token-file grant). */
  discovery: Readonly<Record<string, unknown>> | undefined;
}

/** A provider kubelogin knows, how it is recognised, and what its users must set. */
interface KnownProvider {
  name: string;
  recognise(facts: ProviderFacts): boolean;
  /** The notes, for the issuer URL as given. */
  notes(issuerUrl: string): readonly string[];
}

/** True when `host` is `domain` or one of its subdomains. */
function hostIn(host: string, domains: readonly string[]): boolean {
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** A string field of the discovery document. */
function field(facts: ProviderFacts, name: string): string | undefined {
  const value = facts.discovery?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** True when a list field of the discovery document holds `item`. */
function lists(facts: ProviderFacts, name: string, item: string): boolean {
  const value = facts.discovery?.[name];
  return Array.isArray(value) && value.includes(item);
}

/** The issuer URL without a trailing slash, to append paths to. */
function base(issuerUrl: string): string {
  return issuerUrl.replace(/\/$/, '');
}

/** The providers setup recognises, tried in order. */
const KNOWN_PROVIDERS: readonly KnownProvider[] = [
  {
    name: 'Google',
    recognise: ({ issuer }) => issuer.host === 'accounts.google.com',
    notes: () => [
      'Google returns a refresh token only for offline access: add --oidc-auth-request-extra-params=access_type=offline (and prompt=consent to get one again after the first login).',
      'Google wants the client secret even from a desktop client, where it is no secret: add --oidc-client-secret.',
      'Google access tokens are opaque: with --oidc-use-access-token the API server needs a webhook token authenticator (as GKE has).',
    ],
  },
  {
    name: 'Microsoft Entra ID',
    recognise: ({ issuer }) =>
      hostIn(issuer.host, ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn']) ||
      issuer.host === 'sts.windows.net',
    notes: () => [
      'Use the v2.0 issuer https://login.microsoftonline.com/<tenant>/v2.0 (v1 tokens name https://sts.windows.net/<tenant>/); for access tokens, set accessTokenAcceptedVersion to 2 in the app manifest.',
      'Past 200 groups the token carries _claim_names and _claim_sources (the groups overage) instead of groups, which the API server cannot follow: emit only the groups assigned to the application (groupMembershipClaims ApplicationGroup), or use app roles with --groups-claim=roles.',
      'Its device flow gives no verification_uri_complete: the person types the code shown at the page.',
    ],
  },
  {
    name: 'Okta',
    recognise: ({ issuer }) => hostIn(issuer.host, ['okta.com', 'oktapreview.com', 'okta-emea.com', 'okta-gov.com']),
    notes: () => [
      'Okta leaves groups out of a refreshed ID token unless the refresh asks for the scopes again, which kubelogin does: add --oidc-extra-scope=groups, with a groups claim on the authorization server.',
      "ID tokens live an hour; the access token's lifetime (--oidc-use-access-token) is set in the access policy of the authorization server (custom authorization servers, https://<org>.okta.com/oauth2/<id>, issue tokens an API server can verify).",
    ],
  },
  {
    name: 'Keycloak',
    recognise: (facts) =>
      /\/realms\/[^/]+\/?$/.test(facts.issuer.pathname) ||
      (field(facts, 'token_endpoint') ?? '').endsWith('/protocol/openid-connect/token'),
    notes: () => [
      'For --grant-type=device-code turn on "OAuth 2.0 Device Authorization Grant" for the client; kubelogin sends PKCE (S256) with it, which a client requiring PKCE needs.',
      'Groups reach the token only through a "Group Membership" mapper (token claim name groups; "Full group path" off for plain names).',
    ],
  },
  {
    name: 'GitLab',
    recognise: (facts) => facts.issuer.host === 'gitlab.com' || lists(facts, 'claims_supported', 'groups_direct'),
    notes: (issuerUrl) => [
      `Its discovery document names no device authorization endpoint: for --grant-type=device-code add --oidc-device-authorization-endpoint=${base(issuerUrl)}/oauth/authorize_device (GitLab 17.2 and later).`,
      'The ID token carries the groups a user is a direct member of in groups_direct (groups only at the userinfo endpoint): use --groups-claim=groups_direct.',
    ],
  },
  {
    name: 'Dex',
    recognise: (facts) =>
      field(facts, 'jwks_uri') === `${base(facts.issuer.href)}/keys` &&
      field(facts, 'device_authorization_endpoint') === `${base(facts.issuer.href)}/device/code`,
    notes: () => [
      'Dex puts groups into the token only for the groups scope, and gives a refresh token only for offline_access: add --oidc-extra-scope=groups,offline_access.',
      "The groups come from the connector: for GitHub, its orgs (or loadAllGroups) in Dex's configuration decide which.",
    ],
  },
  {
    name: 'Auth0',
    recognise: (facts) =>
      hostIn(facts.issuer.host, ['auth0.com']) || field(facts, 'mfa_challenge_endpoint') !== undefined,
    notes: () => [
      'Auth0 puts no groups into its tokens: add them with an Action as a namespaced claim (such as https://example.com/groups) and give that to the API server (--groups-claim).',
      'Access tokens are opaque unless an API is asked for: --oidc-auth-request-extra-params=audience=<API identifier> gives a JWT for --oidc-use-access-token.',
      'A refresh token needs --oidc-extra-scope=offline_access and the Refresh Token grant on the application.',
    ],
  },
];

/** The notes for a recognised provider. */
export interface ProviderNotes {
  name: string;
  notes: readonly string[];
}

/** The notes for the provider at `issuerUrl`, if setup recognises it. */
export function providerNotes(
  issuerUrl: string,
  discovery: Readonly<Record<string, unknown>> | undefined,
): ProviderNotes | undefined {
  const facts: ProviderFacts = { issuer: new URL(issuerUrl), discovery };
  const known = KNOWN_PROVIDERS.find((provider) => provider.recognise(facts));
  return known && { name: known.name, notes: known.notes(issuerUrl) };
}
