/**
 * What `setup` prints: the claims, the checks, and everything to paste for
 * the kubeconfig, the API server and RBAC.
 */
import { stringify } from 'yaml';
import { KUBECTL_LAYOUT } from '../kubeconfig/kubeconfig-file.ts';
import { formatDuration } from '../core/durations.ts';
import type { JwtClaims } from '../core/jwt.ts';
import { shellQuote } from '../core/shell-quote.ts';
import { EXEC_API_VERSION, execBlock, type ExecUser } from '../kubeconfig/kubeconfig-edit.ts';
import type { CheckResult } from './setup-checks.ts';

/** Everything the report shows. */
export interface SetupReport {
  issuerUrl: string;
  /** The audience the API server is configured with. */
  audience: string;
  claims: JwtClaims;
  checks: CheckResult[];
  usernameClaim: string;
  groupsClaim: string;
  userName: string;
  execUser: ExecUser;
  /** The provider's CA, when one was given: the API server must trust it too. */
  certificateAuthority: { pem: string; file: string | undefined } | undefined;
}

/** `2026-11-23 01:15:22 +01:00`: a local time with its offset. */
function formatLocalTime(epochSeconds: number): string {
  const date = new Date(epochSeconds * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

/** The username the API server derives: email claims as they are, other claims prefixed with `<issuer>#`. */
function apiServerUsername(report: Pick<SetupReport, 'claims' | 'usernameClaim' | 'issuerUrl'>): string {
  const value = String(report.claims[report.usernameClaim] ?? `<${report.usernameClaim}>`);
  return report.usernameClaim === 'email' ? value : `${usernamePrefix(report)}${value}`;
}

function usernamePrefix({ usernameClaim, issuerUrl }: Pick<SetupReport, 'usernameClaim' | 'issuerUrl'>): string {
  return usernameClaim === 'email' ? '' : `${issuerUrl}#`;
}

function claimsSection({ claims }: SetupReport): string {
  const times = [
    typeof claims.iat === 'number' ? `  iat  ${formatLocalTime(claims.iat)}` : undefined,
    typeof claims.exp === 'number'
      ? `  exp  ${formatLocalTime(claims.exp)}${typeof claims.iat === 'number' ? ` (lifetime ${formatDuration(claims.exp - claims.iat)})` : ''}`
      : undefined,
  ].filter((line) => line !== undefined);
  return `## Claims of the ID token\n\n${JSON.stringify(claims, null, 2)}\n\n${times.join('\n')}\n`;
}

function checksSection({ checks }: SetupReport): string {
  const lines = checks.map((check) => `  ${check.status.padEnd(4)}  ${check.name}: ${check.reason}`);
  return `## Checks\n\n${lines.join('\n')}\n`;
}

/** The `kubectl config set-credentials` command that writes the exec user. */
function setCredentialsCommand(userName: string, user: ExecUser): string {
  const words = [
    `kubectl config set-credentials ${shellQuote(userName)}`,
    `--exec-api-version=${EXEC_API_VERSION}`,
    `--exec-interactive-mode=${user.interactiveMode}`,
    `--exec-command=${shellQuote(user.command)}`,
    ...user.args.map((arg) => `--exec-arg=${shellQuote(arg)}`),
  ];
  return words.join(' \\\n  ');
}

function kubeconfigSection(report: SetupReport): string {
  const fragment = stringify({ users: [{ name: report.userName, user: { exec: execBlock(report.execUser) } }] }, KUBECTL_LAYOUT);
  return (
    `## kubeconfig\n\nAdd the user with kubectl:\n\n${setCredentialsCommand(report.userName, report.execUser)}\n\n` +
    `or put this into the kubeconfig (or run setup again with --write-kubeconfig):\n\n${fragment}`
  );
}

function apiServerSection(report: SetupReport): string {
  const groupsPresent = report.claims[report.groupsClaim] !== undefined;
  const authentication = stringify({
    apiVersion: 'apiserver.config.k8s.io/v1beta1',
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
      },
    ],
  }, KUBECTL_LAYOUT);
  const legacy = [
    `--oidc-issuer-url=${report.issuerUrl}`,
    `--oidc-client-id=${report.audience}`,
    `--oidc-username-claim=${report.usernameClaim}`,
    ...(groupsPresent ? [`--oidc-groups-claim=${report.groupsClaim}`] : []),
    ...(report.certificateAuthority ? [`--oidc-ca-file=${report.certificateAuthority.file ?? '<a file holding the CA given with --certificate-authority-data>'}`] : []),
  ];
  return (
    `## API server\n\nWith a structured authentication file (Kubernetes 1.30 and later, --authentication-config=FILE):\n\n${authentication}\n` +
    `or with the legacy flags (removed in Kubernetes 1.35):\n\n${legacy.join('\n')}\n`
  );
}

function roleBindingSection(report: SetupReport): string {
  const username = apiServerUsername(report);
  const binding = stringify({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `oidc-${String(report.claims[report.usernameClaim] ?? 'user').replace(/[^a-z0-9.-]+/gi, '-').toLowerCase()}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: username }],
  }, KUBECTL_LAYOUT);
  return `## Role binding\n\nThe API server will see you as ${username}. To let this user administer the cluster (choose a narrower role such as view where that is enough):\n\n${binding}`;
}

/** The whole report. */
export function renderSetupReport(report: SetupReport): string {
  return [claimsSection(report), checksSection(report), kubeconfigSection(report), apiServerSection(report), roleBindingSection(report)].join('\n');
}
