/**
 * The flags, as data. One table drives both the commander program (help,
 * errors, every command) and the fast parser of the cache-hit path, so the
 * two cannot drift apart. Defaults live in the conversion to typed options
 * (login-options.ts), which both paths share.
 */
import { CLIENT_ASSERTION_ALGS, GRANT_TYPES, PKCE_METHODS, TOKEN_CACHE_STORAGES } from '../core/options.ts';
import { booleanValue, commaList, keyValueMap, oneOf, repeated, wholeNumber } from './flag-values.ts';

/** How a flag's values are read. */
export type FlagKind = 'string' | 'bool' | 'list' | 'repeat' | 'map' | 'number' | 'choice';

/** One long flag. */
export interface FlagSpec {
  /** Without the leading `--`. */
  name: string;
  kind: FlagKind;
  description: string;
  /** Placeholder in help, such as `<url>`. */
  value?: string;
  choices?: readonly string[];
  hidden?: boolean;
}

/** Provider, grant, browser and TLS flags, shared by get-token and setup. */
export const LOGIN_FLAGS: readonly FlagSpec[] = [
  {
    name: 'oidc-issuer-url',
    kind: 'string',
    value: '<url>',
    description:
      'Issuer URL of the provider (required; github-actions: default https://token.actions.githubusercontent.com; token-file: verify the token against it)',
  },
  {
    name: 'oidc-client-id',
    kind: 'string',
    value: '<id>',
    description:
      'Client ID of the provider, the audience of CI tokens (required; token-file: only with --oidc-issuer-url)',
  },
  { name: 'oidc-client-secret', kind: 'string', value: '<secret>', description: 'Client secret of the provider' },
  {
    name: 'oidc-client-assertion-key',
    kind: 'string',
    value: '<file>',
    description: 'PEM private key (RSA or EC) the client authenticates with (private_key_jwt) instead of a secret',
  },
  {
    name: 'oidc-client-assertion-kid',
    kind: 'string',
    value: '<kid>',
    description: 'Key ID in the client assertion header (with --oidc-client-assertion-key)',
  },
  {
    name: 'oidc-client-assertion-alg',
    kind: 'choice',
    value: '<alg>',
    choices: CLIENT_ASSERTION_ALGS,
    description: 'Client assertion algorithm (default: RS256 for RSA, ES256/384/512 by the EC curve)',
  },
  {
    name: 'oidc-extra-scope',
    kind: 'list',
    value: '<scopes>',
    description: 'Scopes to request besides openid (repeatable, comma separated)',
  },
  {
    name: 'oidc-redirect-url',
    kind: 'string',
    value: '<url>',
    description: 'Redirect URL (default: http://localhost:<port>)',
  },
  {
    name: 'oidc-pkce-method',
    kind: 'choice',
    value: '<method>',
    choices: PKCE_METHODS,
    description: 'PKCE method (default: auto)',
  },
  { name: 'oidc-use-pkce', kind: 'bool', hidden: true, description: 'Deprecated: same as --oidc-pkce-method=S256' },
  {
    name: 'oidc-auth-request-extra-params',
    kind: 'map',
    value: '<key=value>',
    description: 'Extra query parameters of the authorization request (repeatable)',
  },
  {
    name: 'oidc-request-header',
    kind: 'map',
    value: '<key=value>',
    description: 'Extra HTTP headers on requests to the provider (repeatable)',
  },
  { name: 'oidc-use-access-token', kind: 'bool', description: 'Hand kubectl the access token instead of the ID token' },
  {
    name: 'grant-type',
    kind: 'choice',
    value: '<type>',
    choices: GRANT_TYPES,
    description: 'Grant type (default: auto)',
  },
  {
    name: 'listen-address',
    kind: 'list',
    value: '<addresses>',
    description: 'Loopback addresses for the browser login, tried in order (default: 127.0.0.1:8000,127.0.0.1:18000)',
  },
  {
    name: 'listen-port',
    kind: 'repeat',
    value: '<port>',
    hidden: true,
    description: 'Deprecated: use --listen-address',
  },
  {
    name: 'oidc-redirect-url-hostname',
    kind: 'string',
    value: '<host>',
    hidden: true,
    description: 'Deprecated: use --oidc-redirect-url',
  },
  {
    name: 'oidc-redirect-url-authcode-keyboard',
    kind: 'string',
    value: '<url>',
    hidden: true,
    description: 'Deprecated: use --oidc-redirect-url',
  },
  { name: 'skip-open-browser', kind: 'bool', description: 'Print the URL instead of opening a browser' },
  {
    name: 'browser-command',
    kind: 'string',
    value: '<command>',
    description: 'Run <command> <url> instead of the default browser',
  },
  {
    name: 'authentication-timeout-sec',
    kind: 'number',
    value: '<seconds>',
    description: 'Deadline of the browser login (default: 180)',
  },
  {
    name: 'open-url-after-authentication',
    kind: 'string',
    value: '<url>',
    description: 'Redirect the success page to this URL',
  },
  {
    name: 'local-server-cert',
    kind: 'string',
    value: '<file>',
    description: 'PEM certificate of the loopback server: serve the callback over HTTPS',
  },
  {
    name: 'local-server-key',
    kind: 'string',
    value: '<file>',
    description: 'PEM private key of the loopback server (with --local-server-cert)',
  },
  {
    name: 'token-file',
    kind: 'string',
    value: '<file>',
    description: 'File holding the JWT of --grant-type=token-file, read on every run',
  },
  {
    name: 'exchange-audience',
    kind: 'string',
    value: '<aud>',
    description: "Exchange the login's token (RFC 8693) for one with this audience, cached per audience",
  },
  {
    name: 'subject-token-source',
    kind: 'string',
    value: '<source>',
    description: 'Subject token of --grant-type=token-exchange: github-actions or file:<path>',
  },
  {
    name: 'subject-token-type',
    kind: 'string',
    value: '<urn>',
    description: 'Its type (default: urn:ietf:params:oauth:token-type:jwt)',
  },
  { name: 'username', kind: 'string', value: '<name>', description: 'Username for the password grant' },
  { name: 'password', kind: 'string', value: '<password>', description: 'Password for the password grant' },
  {
    name: 'certificate-authority',
    kind: 'repeat',
    value: '<file>',
    description: 'PEM file of a CA trusted for the provider (repeatable)',
  },
  {
    name: 'certificate-authority-data',
    kind: 'repeat',
    value: '<base64>',
    description: 'Base64 PEM of a CA trusted for the provider (repeatable)',
  },
  {
    name: 'insecure-skip-tls-verify',
    kind: 'bool',
    description: "SECURITY RISK: do not verify the provider's certificate",
  },
  { name: 'tls-renegotiation-once', kind: 'bool', hidden: true, description: 'Accepted for compatibility' },
  { name: 'tls-renegotiation-freely', kind: 'bool', hidden: true, description: 'Accepted for compatibility' },
];

/** Flags of get-token besides the login flags. */
export const TOKEN_CACHE_FLAGS: readonly FlagSpec[] = [
  {
    name: 'token-cache-dir',
    kind: 'string',
    value: '<dir>',
    description: 'Token cache directory (default: $KUBECACHEDIR/oidc-login or ~/.kube/cache/oidc-login)',
  },
  {
    name: 'token-cache-storage',
    kind: 'choice',
    value: '<storage>',
    choices: TOKEN_CACHE_STORAGES,
    description: 'Token cache storage (default: disk)',
  },
  { name: 'force-refresh', kind: 'bool', description: 'Refresh the token even if it has not expired' },
];

/** Flags of setup besides the login flags. */
export const SETUP_FLAGS: readonly FlagSpec[] = [
  {
    name: 'username-claim',
    kind: 'string',
    value: '<claim>',
    description: 'Claim the API server takes the username from (default: sub)',
  },
  {
    name: 'username-prefix',
    kind: 'string',
    value: '<prefix>',
    description:
      'Prefix of the username the API server derives (default: <issuer># for claims other than email; github-actions: actions-oidc:)',
  },
  {
    name: 'groups-claim',
    kind: 'string',
    value: '<claim>',
    description: 'Claim the API server takes the groups from (default: groups)',
  },
  {
    name: 'required-claim',
    kind: 'map',
    value: '<key=value>',
    description: 'Claim the API server must find with this value (repeatable)',
  },
  {
    name: 'write-kubeconfig',
    kind: 'bool',
    description: 'Write the user (and a context with --context and --cluster) into the kubeconfig',
  },
  {
    name: 'kubeconfig',
    kind: 'string',
    value: '<file>',
    description: 'Kubeconfig to write (default: $KUBECONFIG or ~/.kube/config)',
  },
  { name: 'user', kind: 'string', value: '<name>', description: 'Name of the kubeconfig user (default: oidc)' },
  {
    name: 'context',
    kind: 'string',
    value: '<name>',
    description: 'Also write a context of this name (needs --cluster)',
  },
  { name: 'cluster', kind: 'string', value: '<name>', description: 'Cluster of the context written with --context' },
];

/** logout's own flags, besides get-token's. */
export const LOGOUT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'all',
    kind: 'bool',
    description: 'Log out of every entry of the token cache (the provider of each is read from its ID token)',
  },
  {
    name: 'end-session',
    kind: 'bool',
    description: "Also open the provider's end-session page, so the next login asks who you are",
  },
];

/** whoami's flags (`-o` is its short form of --output). */
export const WHOAMI_FLAGS: readonly FlagSpec[] = [
  {
    name: 'kubeconfig',
    kind: 'string',
    value: '<file>',
    description: 'Kubeconfig to read (default: $KUBECONFIG or ~/.kube/config)',
  },
  {
    name: 'context',
    kind: 'string',
    value: '<name>',
    description: 'Context whose user and cluster to ask about (default: the current context)',
  },
  {
    name: 'login',
    kind: 'bool',
    description: 'Log in (in the browser) when no usable token is cached; without it whoami never opens a browser',
  },
];

/** Login flags not mirrored into a kubeconfig: a password does not belong in a file. */
export const NOT_MIRRORED_FLAGS: ReadonlySet<string> = new Set(['password']);

/** All flags of get-token. */
export const GET_TOKEN_FLAGS: readonly FlagSpec[] = [...LOGIN_FLAGS, ...TOKEN_CACHE_FLAGS];

/** The property a flag's value is stored under: `oidc-issuer-url` → `oidcIssuerUrl`, as commander names it (and by its steps: no regular expression on the cache-hit path). */
export function attributeName(name: string): string {
  const [first, ...rest] = name.split('-');
  let attribute = first as string;
  for (const word of rest) attribute += word.charAt(0).toUpperCase() + word.slice(1);
  return attribute;
}

/** Reads one value of a flag, given the values it already had (repeatable flags accumulate). */
// biome-ignore lint/suspicious/noExplicitAny: each kind accumulates its own type (a list, a map, a number); commander passes it back untyped.
export type FlagParser = (value: string, previous: any) => unknown;

/** The value parser of a flag. */
export function parserFor(spec: FlagSpec): FlagParser {
  switch (spec.kind) {
    case 'string':
      return (value) => value;
    case 'bool':
      return booleanValue(spec.name);
    case 'list':
      return commaList;
    case 'repeat':
      return spec.name === 'listen-port'
        ? (value, previous: number[] = []) => [...previous, wholeNumber(spec.name)(value)]
        : repeated;
    case 'map':
      return keyValueMap(spec.name);
    case 'number':
      return wholeNumber(spec.name);
    case 'choice':
      return oneOf(spec.name, spec.choices ?? []);
  }
}
