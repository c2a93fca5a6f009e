/**
 * What `whoami` shows: the token's side (claims, expiry, cache) and the
 * cluster's side (the user a SelfSubjectReview returned, or why the API
 * server likely rejected the token), as text or as one JSON document.
 */

import type { UserInfo } from '../cluster/self-subject-review.ts';
import { formatDuration } from '../core/durations.ts';
import { isoTime } from '../core/iso-time.ts';
import type { JwtClaims } from '../core/jwt.ts';

/** Claims shown when present: the kubeconfig does not say which the API server maps, so the usual ones. */
export const SHOWN_CLAIMS = ['sub', 'email', 'preferred_username', 'groups'] as const;

/** The token's side. */
export interface TokenSide {
  /** Which token kubectl sends: the ID token, or the access token with --oidc-use-access-token. */
  kind: 'id_token' | 'access_token';
  issuer: string | undefined;
  subject: string | undefined;
  claims: Partial<Record<(typeof SHOWN_CLAIMS)[number], unknown>>;
  /** RFC 3339 UTC. */
  expiresAt: string | undefined;
  secondsLeft: number | undefined;
  refreshTokenHeld: boolean;
  cacheEntry: string;
  /** `--login-hint` of the exec user: the account whose entry this is; absent without one. */
  loginHint?: string;
}

/** The cluster's side. */
export interface ClusterSide {
  server: string;
  /** The user the API server mapped the token to. */
  userInfo?: UserInfo;
  /** Why it did not: its status and the check it likely failed. */
  rejected?: { status: number; message: string; likelyCause: string };
}

/** Everything whoami shows. */
export interface WhoamiReport {
  kubeconfig: string;
  context: string;
  user: string;
  token: TokenSide;
  cluster: ClusterSide;
}

/** What the kubeconfig's exec user says the API server should expect. */
export interface ExpectedToken {
  issuerUrl: string;
  clientId: string;
  useAccessToken: boolean;
}

/** `aud` as a list. */
function audiences(claims: JwtClaims): string[] {
  const aud = claims['aud'];
  return Array.isArray(aud) ? aud.map(String) : aud === undefined ? [] : [String(aud)];
}

/**
 * The check a 401 most likely failed, from the token's claims compared with
 * the exec user's flags and the clock. The kubeconfig does not say what the
 * API server expects, so when the token agrees with the kubeconfig the answer
 * names what to compare on the server.
 */
export function likelyRejectionCause(claims: JwtClaims, expected: ExpectedToken, nowSeconds: number): string {
  if (typeof claims.exp !== 'number') return 'expiry: the token has no exp claim, which the API server requires';
  if (claims.exp <= nowSeconds)
    return `expiry: the token expired ${formatDuration(nowSeconds - claims.exp)} ago (exp ${isoTime(claims.exp)}); the API server allows no leeway`;
  const iss = claims['iss'];
  if (iss !== expected.issuerUrl) {
    return `issuer: iss is ${JSON.stringify(iss)}, but the user's --oidc-issuer-url is ${expected.issuerUrl}; the API server compares iss with its issuer URL exactly`;
  }
  const aud = audiences(claims);
  if (!expected.useAccessToken && !aud.includes(expected.clientId)) {
    return `audience: aud ${JSON.stringify(aud)} does not contain the user's --oidc-client-id ${expected.clientId}`;
  }
  return (
    `issuer, audience or signature: iss, aud and exp agree with the kubeconfig, so the API server likely expects another issuer or audience ` +
    `(its issuer URL must be ${String(iss)} and its audiences must contain ${aud.map((value) => JSON.stringify(value)).join(' or ') || 'the aud'}), ` +
    `or cannot verify the signature with ${String(iss)}'s keys`
  );
}

/** A claim's value for a line of text. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Aligned `name  value` lines, two spaces in. */
function lines(rows: readonly (readonly [string, string | undefined])[]): string {
  const present = rows.filter((row): row is readonly [string, string] => row[1] !== undefined);
  const width = Math.max(...present.map(([name]) => name.length));
  return present.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n');
}

/** The report as text. */
export function renderWhoamiText(report: WhoamiReport): string {
  const { token, cluster } = report;
  const left =
    token.secondsLeft === undefined
      ? ''
      : token.secondsLeft > 0
        ? ` (in ${formatDuration(token.secondsLeft)})`
        : ' (expired)';
  const tokenRows: [string, string | undefined][] = [
    ['token', token.kind === 'id_token' ? 'ID token' : 'access token (--oidc-use-access-token)'],
    ['issuer', token.issuer],
    ['subject', token.subject],
    ...SHOWN_CLAIMS.filter((claim) => claim !== 'sub' && token.claims[claim] !== undefined).map(
      (claim): [string, string] => [claim, shown(token.claims[claim])],
    ),
    ['expires', token.expiresAt === undefined ? undefined : `${token.expiresAt}${left}`],
    [
      'refresh token',
      token.refreshTokenHeld
        ? 'held: kubelogin renews the token without a browser'
        : 'none: a login is needed when the token expires',
    ],
    ['cache entry', token.cacheEntry],
    ['login hint', token.loginHint],
  ];
  const head = `Context ${report.context} (user ${report.user}) in ${report.kubeconfig}\n\nThe token says\n${lines(tokenRows)}\n\n`;
  if (cluster.rejected !== undefined) {
    return `${head}The cluster ${cluster.server} rejected the token (HTTP ${cluster.rejected.status}: ${cluster.rejected.message})\n  likely check failed: ${cluster.rejected.likelyCause}\n`;
  }
  const info = cluster.userInfo ?? {};
  const extra = Object.entries(info.extra ?? {}).map(([key, values]) => `${key}=${values.join(',')}`);
  const clusterRows: [string, string | undefined][] = [
    ['username', info.username ?? ''],
    ['uid', info.uid],
    ['groups', (info.groups ?? []).join(', ')],
    ['extra', extra.length > 0 ? extra.join('; ') : undefined],
  ];
  return `${head}The cluster ${cluster.server} says\n${lines(clusterRows)}\n`;
}

/** The report as one JSON document. */
export function renderWhoamiJson(report: WhoamiReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
