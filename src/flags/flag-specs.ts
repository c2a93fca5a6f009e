/**
 * The flags, as data: each fact of a flag (name, kind, meaning, default) is
 * written here once, for get-token and the flags it shares, and in
 * command-flags.ts for the other commands. The tables drive the commander
 * program (help, errors, every command), the fast parser of the cache-hit
 * path, the conversion to typed options (which reads the defaults here), the
 * types of the parsed values (derived from the tables), shell completion, and
 * docs/usage.md's flag tables (`npm run docs`).
 *
 * Descriptions are Markdown: code in backticks, which the help leaves out.
 * This module is on the cache-hit path: plain literals, cheap to evaluate.
 */
import { MAX_TIMER_SECONDS } from '../core/durations.ts';
import { CLIENT_ASSERTION_ALGS, GRANT_TYPES, PKCE_METHODS, TOKEN_CACHE_STORAGES } from '../core/options.ts';
import { booleanValue, commaList, keyValueMap, oneOf, repeated, wholeNumber } from './flag-values.ts';

/** What every flag has, whatever its kind. */
interface FlagBase {
  /** Without the leading `--`. */
  readonly name: string;
  /** One letter, for a short form such as `-o`. */
  readonly short?: string;
  readonly description: string;
  /** Placeholder in help, such as `<url>`. */
  readonly value?: string;
  /** Left out of help, completion and docs/usage.md: accepted from old kubeconfigs. */
  readonly hidden?: boolean;
  /** What replaces a deprecated flag; its use is warned about with these words. */
  readonly deprecated?: string;
  /** False for a flag setup never writes into a kubeconfig (a password does not belong in a file). */
  readonly mirrored?: false;
  /**
   * The default as people read it, where it is computed when the flag is
   * absent (and so has no `default` value) or depends on other flags.
   */
  readonly defaultShown?: string;
}

/** One long flag: how its values are read and, where it has one, the value taken when it is absent. */
export type FlagSpec = FlagBase &
  (
    | { readonly kind: 'string'; readonly default?: string }
    /** `--flag`, `--flag=true|false`; absent: false. */
    | { readonly kind: 'bool' }
    /** Repeatable, and each value split on commas. */
    | { readonly kind: 'list'; readonly default?: readonly string[] }
    /** Repeatable, each value taken whole. */
    | { readonly kind: 'repeat' }
    /** Repeatable whole numbers. */
    | { readonly kind: 'numbers' }
    /** Repeatable `key=value` pairs, also `a=1,b=2` in one value. */
    | { readonly kind: 'map' }
    /** A whole number. */
    | { readonly kind: 'number'; readonly default?: number }
    | { readonly kind: 'choice'; readonly choices: readonly string[]; readonly default?: string }
  );

/** How a flag's values are read. */
export type FlagKind = FlagSpec['kind'];

/** The issuer of GitHub Actions' OIDC tokens, the default of --oidc-issuer-url for --grant-type=github-actions. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/** The host of the listen addresses that the deprecated --listen-port gives ports of. */
export const LISTEN_PORT_HOST = '127.0.0.1';

/** Host name of the default redirect URL; providers' guides register `http://localhost:8000`. */
const REDIRECT_HOSTNAME = 'localhost';

/** Provider, grant, browser and TLS flags, shared by get-token, setup and logout. */
export const LOGIN_FLAGS = [
  {
    name: 'oidc-issuer-url',
    kind: 'string',
    value: '<url>',
    description:
      "Issuer URL of the provider; its discovery document must name exactly this issuer. Required, except that `github-actions` takes GitHub's " +
      `(\`${GITHUB_ACTIONS_ISSUER}\`) and \`token-file\` verifies the file's token against it only when given`,
  },
  {
    name: 'oidc-client-id',
    kind: 'string',
    value: '<id>',
    description:
      'Client ID of the provider (required); for `github-actions` and `token-file` the audience the token must have (`token-file`: only with `--oidc-issuer-url`)',
  },
  {
    name: 'oidc-client-secret',
    kind: 'string',
    value: '<secret>',
    description: 'Client secret of the provider, for a confidential client',
  },
  {
    name: 'oidc-client-assertion-key',
    kind: 'string',
    value: '<file>',
    description:
      'PEM private key (RSA or EC; PKCS#8, PKCS#1 or SEC1) the client authenticates with (`private_key_jwt`) instead of `--oidc-client-secret`',
  },
  {
    name: 'oidc-client-assertion-kid',
    kind: 'string',
    value: '<kid>',
    description: "`kid` in the client assertion's header (with `--oidc-client-assertion-key`)",
  },
  {
    name: 'oidc-client-assertion-alg',
    kind: 'choice',
    value: '<alg>',
    choices: CLIENT_ASSERTION_ALGS,
    defaultShown: 'from the key: `RS256` for RSA, `ES256`/`ES384`/`ES512` by the EC curve',
    description: 'Algorithm of the client assertion (with `--oidc-client-assertion-key`)',
  },
  {
    name: 'oidc-client-assertion-audience',
    kind: 'repeat',
    value: '<aud>',
    defaultShown: 'the issuer',
    description:
      "`aud` of the client assertion instead of the issuer (repeatable, with `--oidc-client-assertion-key`): the provider's token endpoint URL for providers that insist on it, such as Okta and Entra ID",
  },
  {
    name: 'oidc-extra-scope',
    kind: 'list',
    value: '<scopes>',
    description: 'Scopes to request besides `openid` (repeatable, comma separated)',
  },
  {
    name: 'oidc-redirect-url',
    kind: 'string',
    value: '<url>',
    defaultShown: `\`http://${REDIRECT_HOSTNAME}:<port>\``,
    description: 'Redirect URL (`redirect_uri`); its path is the callback path',
  },
  {
    name: 'oidc-pkce-method',
    kind: 'choice',
    value: '<method>',
    choices: PKCE_METHODS,
    default: 'auto',
    description: 'PKCE method; `auto`: S256 when the provider lists it',
  },
  { name: 'oidc-use-pkce', kind: 'bool', hidden: true, description: 'Deprecated: same as `--oidc-pkce-method=S256`' },
  {
    name: 'oidc-auth-request-extra-params',
    kind: 'map',
    value: '<key=value>',
    description: 'Extra `key=value` query parameters of the authorization request (repeatable)',
  },
  {
    name: 'login-hint',
    kind: 'string',
    value: '<account>',
    description:
      'Account to log in as (`login_hint` of the authorization and device requests, e.g. an email); each hint has its own cache entry, so several accounts at one provider stay logged in side by side',
  },
  {
    name: 'oidc-request-header',
    kind: 'map',
    value: '<key=value>',
    description: 'Extra `key=value` HTTP headers on every request to the provider (repeatable)',
  },
  {
    name: 'oidc-device-authorization-endpoint',
    kind: 'string',
    value: '<url>',
    description:
      "Device authorization endpoint (RFC 8628) of the device flow, where the discovery document names none (GitLab) or instead of the one it names; https under an https issuer. The token endpoint is always discovery's",
  },
  {
    name: 'oidc-use-access-token',
    kind: 'bool',
    description:
      'Hand kubectl the access token instead of the ID token: a JWT is verified, an opaque one handed over as it is until its `expires_in`',
  },
  {
    name: 'grant-type',
    kind: 'choice',
    value: '<type>',
    choices: GRANT_TYPES,
    default: 'auto',
    description: 'Grant type: how to log in',
  },
  {
    name: 'listen-address',
    kind: 'list',
    value: '<addresses>',
    default: ['127.0.0.1:8000', '127.0.0.1:18000'],
    description: 'Loopback addresses of the browser login, tried in order; port 0 picks a free one',
  },
  {
    name: 'listen-port',
    kind: 'numbers',
    value: '<port>',
    hidden: true,
    deprecated: `use --listen-address=${LISTEN_PORT_HOST}:PORT`,
    description: 'Deprecated: use `--listen-address`',
  },
  {
    name: 'oidc-redirect-url-hostname',
    kind: 'string',
    value: '<host>',
    hidden: true,
    default: REDIRECT_HOSTNAME,
    deprecated: 'use --oidc-redirect-url',
    description: 'Deprecated: use `--oidc-redirect-url`',
  },
  {
    name: 'oidc-redirect-url-authcode-keyboard',
    kind: 'string',
    value: '<url>',
    hidden: true,
    deprecated: 'use --oidc-redirect-url',
    description: 'Deprecated: use `--oidc-redirect-url`',
  },
  { name: 'skip-open-browser', kind: 'bool', description: 'Print the URL instead of opening a browser' },
  {
    name: 'no-qr',
    kind: 'bool',
    description:
      'Show no QR code on a terminal (one is shown of the device code URL, and of the login URL when no browser was opened)',
  },
  {
    name: 'browser-command',
    kind: 'string',
    value: '<command>',
    description: 'Run `<command> <url>` (no shell) instead of the default browser',
  },
  {
    name: 'authentication-timeout-sec',
    kind: 'number',
    value: '<seconds>',
    default: 180,
    description: `Deadline of the browser part of a login, in seconds (1 to ${MAX_TIMER_SECONDS})`,
  },
  {
    name: 'open-url-after-authentication',
    kind: 'string',
    value: '<url>',
    description: 'The success page redirects there',
  },
  {
    name: 'local-server-cert',
    kind: 'string',
    value: '<file>',
    description: `PEM certificate of the loopback server: serve the callback over HTTPS (\`redirect_uri\` becomes \`https://${REDIRECT_HOSTNAME}:<port>\`)`,
  },
  {
    name: 'local-server-key',
    kind: 'string',
    value: '<file>',
    description: 'PEM private key of the loopback server (with `--local-server-cert`)',
  },
  {
    name: 'token-file',
    kind: 'string',
    value: '<file>',
    description: 'File holding the JWT of `--grant-type=token-file`, read on every run (`~` expanded)',
  },
  {
    name: 'exchange-audience',
    kind: 'string',
    value: '<aud>',
    description:
      'After the login, exchange its token (RFC 8693) for one with this audience; cached per audience, the login shared',
  },
  {
    name: 'subject-token-source',
    kind: 'string',
    value: '<source>',
    description: 'Subject token of `--grant-type=token-exchange`: `github-actions` or `file:<path>`',
  },
  {
    name: 'subject-token-type',
    kind: 'string',
    value: '<urn>',
    // The CI tokens exchanged are JWTs (RFC 8693 section 3).
    default: 'urn:ietf:params:oauth:token-type:jwt',
    description: "The subject token's `subject_token_type`",
  },
  {
    name: 'username',
    kind: 'string',
    value: '<name>',
    description: 'Username of the password grant; asked for on a terminal when missing',
  },
  {
    name: 'password',
    kind: 'string',
    value: '<password>',
    mirrored: false,
    description: 'Password of the password grant; asked for on a terminal when missing',
  },
  {
    name: 'certificate-authority',
    kind: 'repeat',
    value: '<file>',
    description: 'PEM file of a CA trusted for the provider (repeatable, `~` expanded)',
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
    description: "SECURITY RISK: do not verify the provider's certificate (warns)",
  },
  { name: 'tls-renegotiation-once', kind: 'bool', hidden: true, description: 'Accepted for compatibility' },
  { name: 'tls-renegotiation-freely', kind: 'bool', hidden: true, description: 'Accepted for compatibility' },
] as const satisfies readonly FlagSpec[];

/** `--token-cache-dir`, whose default is computed (core/paths.ts). */
export const TOKEN_CACHE_DIR = {
  name: 'token-cache-dir',
  kind: 'string',
  value: '<dir>',
  defaultShown: '`$KUBECACHEDIR/oidc-login` or `~/.kube/cache/oidc-login`',
  description: 'Token cache directory',
} as const satisfies FlagSpec;

/** The token cache flags: get-token's and, to find the entry, logout's. */
export const TOKEN_CACHE_FLAGS = [
  TOKEN_CACHE_DIR,
  {
    name: 'token-cache-storage',
    kind: 'choice',
    value: '<storage>',
    choices: TOKEN_CACHE_STORAGES,
    default: 'disk',
    description: 'Where the token cache keeps the tokens',
  },
] as const satisfies readonly FlagSpec[];

/** All flags of get-token. */
export const GET_TOKEN_FLAGS = [
  ...LOGIN_FLAGS,
  ...TOKEN_CACHE_FLAGS,
  { name: 'force-refresh', kind: 'bool', description: 'Refresh now even if the token is still valid' },
] as const satisfies readonly FlagSpec[];

/** `-v`, the log level of every command (read by both parsers before any command's flags). */
export const LOG_LEVEL_FLAG = {
  name: 'v',
  short: 'v',
  kind: 'number',
  value: '<level>',
  default: 0,
  description:
    'Log level: 1 and up show details; tokens, codes, PKCE verifiers and secrets are redacted at every level',
} as const satisfies FlagSpec;

/** The property a flag's value is stored under: `oidc-issuer-url` → `oidcIssuerUrl`, as commander names it (and by its steps: no regular expression on the cache-hit path). */
export function attributeName(name: string): string {
  const [first, ...rest] = name.split('-');
  let attribute = first as string;
  for (const word of rest) attribute += word.charAt(0).toUpperCase() + word.slice(1);
  return attribute;
}

/** {@link attributeName} at the type level. */
type AttributeName<Name extends string> = Name extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<AttributeName<Tail>>}`
  : Name;

/** The parsed value of a flag, by its kind. */
type FlagValue<Spec extends FlagSpec> = Spec extends { kind: 'choice'; choices: readonly (infer Choice)[] }
  ? Choice
  : {
      string: string;
      bool: boolean;
      list: string[];
      repeat: string[];
      numbers: number[];
      map: Record<string, string>;
      number: number;
      choice: never;
    }[Spec['kind']];

/** The parsed values of a table's flags by attribute name, each absent unless given: what both parsers produce. */
export type RawFlags<Specs extends readonly FlagSpec[]> = {
  [Spec in Specs[number] as AttributeName<Spec['name']>]?: FlagValue<Spec>;
};

/** The `default` values of a table's flags by attribute name. */
export type FlagDefaults<Specs extends readonly FlagSpec[]> = {
  [Spec in Specs[number] as Spec extends { default: unknown } ? AttributeName<Spec['name']> : never]: Spec extends {
    default: infer Default;
  }
    ? Default
    : never;
};

/** The defaults of a table, for its conversion to typed options. */
export function defaultsOf<const Specs extends readonly FlagSpec[]>(specs: Specs): FlagDefaults<Specs> {
  const defaults: Record<string, unknown> = {};
  for (const spec of specs) {
    if ('default' in spec) defaults[attributeName(spec.name)] = spec.default;
  }
  return defaults as FlagDefaults<Specs>;
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
      return repeated;
    case 'numbers': {
      const number = wholeNumber(spec.name);
      return (value, previous: number[] = []) => [...previous, number(value)];
    }
    case 'map':
      return keyValueMap(spec.name);
    case 'number':
      return wholeNumber(spec.name);
    case 'choice':
      return oneOf(spec.name, spec.choices);
  }
}
