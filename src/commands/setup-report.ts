/**
 * What `setup` prints: the claims, the checks, and everything to paste for
 * the kubeconfig, the API server and RBAC.
 */
import { stringify } from 'yaml';
import { formatDuration } from '../core/durations.ts';
import { EXEC_EXTENSION_NAME } from '../core/exec-credential.ts';
import type { JwtClaims } from '../core/jwt.ts';
import { shellQuote } from '../core/shell-quote.ts';
import { EXEC_API_VERSION, type ExecUser, execBlock, execExtensionEntry } from '../kubeconfig/kubeconfig-edit.ts';
import { KUBECTL_LAYOUT } from '../kubeconfig/kubeconfig-file.ts';
import type { CheckResult } from './setup-checks.ts';
import type { ProviderNotes } from './setup-provider-notes.ts';

/** The AuthenticationConfiguration version of Kubernetes 1.34 and later (GA). */
const AUTHENTICATION_CONFIGURATION_VERSION = 'apiserver.config.k8s.io/v1';
/** The version Kubernetes 1.30 to 1.33 take (beta, on by default). */
const AUTHENTICATION_CONFIGURATION_BETA = 'apiserver.config.k8s.io/v1beta1';
/** The kuberc version that holds kubectl 1.35's credential plugin policy. */
const KUBERC_VERSION = 'kubectl.config.k8s.io/v1beta1';

/** Everything the report shows. */
export interface SetupReport {
  issuerUrl: string;
  /** The audience the API server is configured with. */
  audience: string;
  claims: JwtClaims;
  checks: CheckResult[];
  /** What the users of a provider setup recognises must set; undefined for others. */
  providerNotes: ProviderNotes | undefined;
  usernameClaim: string;
  groupsClaim: string;
  /** Claims the API server must find with these values (claimValidationRules, --oidc-required-claim). */
  requiredClaims: Record<string, string>;
  /** The username prefix given (or the grant's default); undefined: the API server's default. */
  usernamePrefix: string | undefined;
  /** `--exchange-audience`: the audience this cluster accepts, one of many a login serves. */
  exchangeAudience: string | undefined;
  userName: string;
  execUser: ExecUser;
  /** With `--provide-cluster-info`: the cluster whose exec extension holds the settings the user's arguments leave out. */
  clusterSettings?: { cluster: string; settings: Record<string, unknown> } | undefined;
  /** The provider's CA, when one was given: the API server must trust it too. */
  certificateAuthority: { pem: string; file: string | undefined } | undefined;
  /** The local time zone, in which `iat` and `exp` are shown: its offset from UTC at an instant, in minutes east. */
  utcOffsetMinutes(epochMs: number): number;
}

/** `2026-11-23 01:15:22 +01:00`: a local time with its offset. */
function formatLocalTime(epochSeconds: number, utcOffsetMinutes: (epochMs: number) => number): string {
  const offset = utcOffsetMinutes(epochSeconds * 1000);
  // The instant moved by the offset, read in UTC: the wall clock of the zone.
  const local = new Date((epochSeconds + offset * 60) * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

/** The username the API server derives: email claims as they are, other claims prefixed with `<issuer>#`. */
function apiServerUsername(
  report: Pick<SetupReport, 'claims' | 'usernameClaim' | 'issuerUrl' | 'usernamePrefix'>,
): string {
  const value = String(report.claims[report.usernameClaim] ?? `<${report.usernameClaim}>`);
  return `${usernamePrefix(report)}${value}`;
}

function usernamePrefix({
  usernameClaim,
  issuerUrl,
  usernamePrefix: given,
}: Pick<SetupReport, 'usernameClaim' | 'issuerUrl' | 'usernamePrefix'>): string {
  if (given !== undefined) return given;
  return usernameClaim === 'email' ? '' : `${issuerUrl}#`;
}

function claimsSection({ claims, utcOffsetMinutes }: SetupReport): string {
  const times = [
    typeof claims.iat === 'number' ? `  iat  ${formatLocalTime(claims.iat, utcOffsetMinutes)}` : undefined,
    typeof claims.exp === 'number'
      ? `  exp  ${formatLocalTime(claims.exp, utcOffsetMinutes)}${typeof claims.iat === 'number' ? ` (lifetime ${formatDuration(claims.exp - claims.iat)})` : ''}`
      : undefined,
  ].filter((line) => line !== undefined);
  return `## Claims of the ID token\n\n${JSON.stringify(claims, null, 2)}\n\n${times.join('\n')}\n`;
}

function checksSection({ checks }: SetupReport): string {
  const lines = checks.map((check) => `  ${check.status.padEnd(4)}  ${check.name}: ${check.reason}`);
  return `## Checks\n\n${lines.join('\n')}\n`;
}

/** The settings a recognised provider needs; nothing for others. */
function providerNotesSection({ providerNotes }: SetupReport): string[] {
  if (providerNotes === undefined) return [];
  const lines = providerNotes.notes.map((note) => `  - ${note}`);
  return [`## Notes for ${providerNotes.name}\n\n${lines.join('\n')}\n`];
}

/** The `kubectl config set-credentials` command that writes the exec user. */
function setCredentialsCommand(userName: string, user: ExecUser): string {
  const words = [
    `kubectl config set-credentials ${shellQuote(userName)}`,
    `--exec-api-version=${EXEC_API_VERSION}`,
    `--exec-interactive-mode=${user.interactiveMode}`,
    ...(user.provideClusterInfo ? ['--exec-provide-cluster-info=true'] : []),
    `--exec-command=${shellQuote(user.command)}`,
    ...user.args.map((arg) => `--exec-arg=${shellQuote(arg)}`),
  ];
  return words.join(' \\\n  ');
}

function kubeconfigSection(report: SetupReport): string {
  const users = [{ name: report.userName, user: { exec: execBlock(report.execUser) } }];
  const { clusterSettings } = report;
  const command = setCredentialsCommand(report.userName, report.execUser);
  if (clusterSettings === undefined) {
    return (
      `## kubeconfig\n\nAdd the user with kubectl:\n\n${command}\n\n` +
      `or put this into the kubeconfig (or run setup again with --write-kubeconfig):\n\n${stringify({ users }, KUBECTL_LAYOUT)}`
    );
  }
  const clusters = [
    { name: clusterSettings.cluster, cluster: { extensions: [execExtensionEntry(clusterSettings.settings)] } },
  ];
  return (
    `## kubeconfig\n\nOne user for many clusters: kubectl hands it the ${EXEC_EXTENSION_NAME} extension of the cluster it calls ` +
    `(provideClusterInfo), whose keys (get-token's flags) fill in what the arguments leave out. ` +
    `Add the user with kubectl:\n\n${command}\n\n` +
    `and the extension to the cluster ${clusterSettings.cluster}, beside its server and CA (kubectl has no command for that), ` +
    `or put both into the kubeconfig (or run setup again with --write-kubeconfig). ` +
    `For each other cluster, run setup with its --cluster, issuer, client and audience:\n\n` +
    stringify({ users, clusters }, KUBECTL_LAYOUT)
  );
}

function apiServerSection(report: SetupReport): string {
  const groupsPresent = report.claims[report.groupsClaim] !== undefined;
  const requiredClaims = Object.entries(report.requiredClaims);
  const authentication = stringify(
    {
      apiVersion: AUTHENTICATION_CONFIGURATION_VERSION,
      kind: 'AuthenticationConfiguration',
      jwt: [
        {
          issuer: {
            url: report.issuerUrl,
            audiences: [report.audience],
            ...(report.certificateAuthority ? { certificateAuthority: report.certificateAuthority.pem } : {}),
          },
          claimMappings: {
            username: { claim: report.usernameClaim, prefix: usernamePrefix(report) },
            ...(groupsPresent ? { groups: { claim: report.groupsClaim, prefix: '' } } : {}),
          },
          ...(requiredClaims.length > 0
            ? { claimValidationRules: requiredClaims.map(([claim, requiredValue]) => ({ claim, requiredValue })) }
            : {}),
        },
      ],
    },
    KUBECTL_LAYOUT,
  );
  const legacy = [
    `--oidc-issuer-url=${report.issuerUrl}`,
    `--oidc-client-id=${report.audience}`,
    `--oidc-username-claim=${report.usernameClaim}`,
    ...(report.usernamePrefix !== undefined
      ? [`--oidc-username-prefix=${report.usernamePrefix === '' ? '-' : report.usernamePrefix}`]
      : []),
    ...(groupsPresent ? [`--oidc-groups-claim=${report.groupsClaim}`] : []),
    ...requiredClaims.map(([claim, value]) => `--oidc-required-claim=${claim}=${value}`),
    ...(report.certificateAuthority
      ? [
          `--oidc-ca-file=${report.certificateAuthority.file ?? '<a file holding the CA given with --certificate-authority-data>'}`,
        ]
      : []),
  ];
  const audienceNote =
    report.exchangeAudience === undefined
      ? ''
      : `This cluster accepts the audience ${report.exchangeAudience} (--exchange-audience). Each cluster accepts its own audience, from the same issuer: ` +
        'run setup with its --exchange-audience for its configuration; one login serves them all.\n\n';
  return (
    `## API server\n\n${audienceNote}With a structured authentication file (--authentication-config=FILE; ${AUTHENTICATION_CONFIGURATION_VERSION} is Kubernetes 1.34 and later, ` +
    `for 1.30 to 1.33 write ${AUTHENTICATION_CONFIGURATION_BETA}):\n\n${authentication}\n` +
    `or with the legacy flags (still supported, but the API server refuses to start with both them and --authentication-config):\n\n${legacy.join('\n')}\n`
  );
}

/** The kuberc entry that lets kubectl 1.35 run the plugin under an allowlist policy. */
function kubercSection(report: SetupReport): string {
  const preference = stringify(
    {
      apiVersion: KUBERC_VERSION,
      kind: 'Preference',
      credentialPluginPolicy: 'Allowlist',
      credentialPluginAllowlist: [{ name: report.execUser.command }],
    },
    KUBECTL_LAYOUT,
  );
  return (
    `## kuberc\n\nkubectl 1.35 runs credential plugins only as the credentialPluginPolicy of your kuberc (~/.kube/kuberc, or KUBERC) allows. ` +
    `With a policy, allow this plugin:\n\n${preference}`
  );
}

function roleBindingSection(report: SetupReport): string {
  const username = apiServerUsername(report);
  const binding = stringify(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: {
        name: `oidc-${String(report.claims[report.usernameClaim] ?? 'user')
          .replace(/[^a-z0-9.-]+/gi, '-')
          .toLowerCase()}`,
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: username }],
    },
    KUBECTL_LAYOUT,
  );
  return `## Role binding\n\nThe API server will see you as ${username}. To let this user administer the cluster (choose a narrower role such as view where that is enough):\n\n${binding}`;
}

/** The whole report. */
export function renderSetupReport(report: SetupReport): string {
  return [
    claimsSection(report),
    checksSection(report),
    ...providerNotesSection(report),
    kubeconfigSection(report),
    kubercSection(report),
    apiServerSection(report),
    roleBindingSection(report),
  ].join('\n');
}
