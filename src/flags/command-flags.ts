/**
 * The flags of setup, logout, whoami, convert-kubeconfig and clean, each
 * command with its own entries (flag-specs.ts holds get-token's and the
 * shared ones). Apart from flag-specs.ts, so that the cache-hit path does not
 * carry them.
 */
import { WHOAMI_OUTPUTS } from '../core/options.ts';
import { type FlagSpec, LOGIN_FLAGS, TOKEN_CACHE_DIR, TOKEN_CACHE_FLAGS } from './flag-specs.ts';

/** The username prefix of CI jobs' tokens, as in Oracle's OKE guide: CI identities stay apart from people's. */
export const GITHUB_ACTIONS_USERNAME_PREFIX = 'actions-oidc:';

/** `--kubeconfig` of the commands that read or write one; kubeconfig/kubeconfig-file.ts computes the default. */
const KUBECONFIG_FILE = {
  name: 'kubeconfig',
  kind: 'string',
  value: '<file>',
  defaultShown: '`$KUBECONFIG` or `~/.kube/config`',
} as const;

/** All flags of setup: the login flags, the API server's claims and where to write the user. */
export const SETUP_FLAGS = [
  ...LOGIN_FLAGS,
  {
    name: 'username-claim',
    kind: 'string',
    value: '<claim>',
    default: 'sub',
    description: 'Claim the API server takes the username from',
  },
  {
    name: 'username-prefix',
    kind: 'string',
    value: '<prefix>',
    defaultShown: `\`<issuer>#\` for claims other than \`email\`; \`github-actions\`: \`${GITHUB_ACTIONS_USERNAME_PREFIX}\``,
    description: 'Prefix of the username the API server derives',
  },
  {
    name: 'groups-claim',
    kind: 'string',
    value: '<claim>',
    default: 'groups',
    description: 'Claim the API server takes the groups from',
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
    description: 'Write the user (and a context with `--context` and `--cluster`) into the kubeconfig',
  },
  { ...KUBECONFIG_FILE, description: 'Kubeconfig to write' },
  { name: 'user', kind: 'string', value: '<name>', default: 'oidc', description: 'Name of the kubeconfig user' },
  {
    name: 'context',
    kind: 'string',
    value: '<name>',
    description: 'Also write a context of this name (needs `--cluster`)',
  },
  {
    name: 'cluster',
    kind: 'string',
    value: '<name>',
    description:
      'Cluster of the context written with `--context`; with `--provide-cluster-info`, the cluster whose extension gets the settings',
  },
  {
    name: 'provide-cluster-info',
    kind: 'bool',
    description:
      'One user for many clusters: the user (`provideClusterInfo: true`) keeps the flags all clusters share; the issuer, the client and `--exchange-audience` go into the `client.authentication.k8s.io/exec` extension of the cluster `--cluster` names',
  },
] as const satisfies readonly FlagSpec[];

/** All flags of logout: get-token's (which select the entry, as in the kubeconfig) but --force-refresh, and its own. */
export const LOGOUT_FLAGS = [
  ...LOGIN_FLAGS,
  ...TOKEN_CACHE_FLAGS,
  {
    name: 'all',
    kind: 'bool',
    description:
      "Log out of every entry of the token cache (the provider of each is read from its ID token); the client's credentials given go only to the entries of `--oidc-issuer-url` and `--oidc-client-id`",
  },
  {
    name: 'end-session',
    kind: 'bool',
    description: "Also open the provider's end-session page, so the next login asks who you are",
  },
] as const satisfies readonly FlagSpec[];

/** All flags of whoami. */
export const WHOAMI_FLAGS = [
  {
    name: 'output',
    short: 'o',
    kind: 'choice',
    value: '<format>',
    choices: WHOAMI_OUTPUTS,
    default: 'text',
    description: 'Output format',
  },
  { ...KUBECONFIG_FILE, description: 'Kubeconfig to read' },
  {
    name: 'context',
    kind: 'string',
    value: '<name>',
    defaultShown: 'the current context',
    description: 'Context whose user and cluster to ask about',
  },
  {
    name: 'login',
    kind: 'bool',
    description: 'Log in (in the browser) when no usable token is cached; without it whoami never opens a browser',
  },
] as const satisfies readonly FlagSpec[];

/** All flags of convert-kubeconfig: which users of which kubeconfig, and where their tokens go. */
export const CONVERT_FLAGS = [
  { ...KUBECONFIG_FILE, description: 'Kubeconfig to convert' },
  {
    name: 'context',
    kind: 'string',
    value: '<name>',
    description: 'Convert only the user of this context',
  },
  {
    name: 'user',
    kind: 'string',
    value: '<name>',
    description: 'Convert only this user (it wins over `--context`)',
  },
  { ...TOKEN_CACHE_DIR, description: "Token cache directory the users' tokens are put into" },
] as const satisfies readonly FlagSpec[];

/** All flags of clean. */
export const CLEAN_FLAGS = [
  { ...TOKEN_CACHE_DIR, description: 'Token cache directory to delete the tokens, locks and keyring entries of' },
] as const satisfies readonly FlagSpec[];
