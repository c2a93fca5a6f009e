/**
 * The ExecCredential exchanged with kubectl: KUBERNETES_EXEC_INFO in, one
 * compact JSON object on stdout out.
 */
import { UsageError } from './errors.ts';

/** The environment variable kubectl sets for credential plugins. */
export const EXEC_INFO_VARIABLE = 'KUBERNETES_EXEC_INFO';

/** The ExecCredential API versions kubectl speaks. */
const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

/** One of the ExecCredential API versions. */
export type ExecApiVersion = (typeof EXEC_API_VERSIONS)[number];

/** Version used when kubectl gives none (as the Go kubelogin does). */
const DEFAULT_API_VERSION: ExecApiVersion = 'client.authentication.k8s.io/v1beta1';

/** What kubectl told the plugin through KUBERNETES_EXEC_INFO. */
export interface ExecInfo {
  apiVersion: ExecApiVersion;
  /** True only when kubectl's stdin is a terminal and the exec block allows prompts. */
  interactive: boolean;
  /** False when the variable was absent (not run by kubectl). */
  fromKubectl: boolean;
}

/** Parses KUBERNETES_EXEC_INFO; throws a UsageError naming the variable when it is malformed. */
export function parseExecInfo(raw: string | undefined): ExecInfo {
  if (raw === undefined || raw.trim() === '') {
    return { apiVersion: DEFAULT_API_VERSION, interactive: true, fromKubectl: false };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UsageError(`${EXEC_INFO_VARIABLE} is not valid JSON`, {
      hint: 'kubectl sets it to an ExecCredential object; unset it when running kubelogin by hand',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`${EXEC_INFO_VARIABLE} must be a JSON object (an ExecCredential)`);
  }
  const info = parsed as { apiVersion?: unknown; spec?: { interactive?: unknown } };
  const apiVersion = info.apiVersion ?? DEFAULT_API_VERSION;
  if (!EXEC_API_VERSIONS.includes(apiVersion as ExecApiVersion)) {
    throw new UsageError(
      `${EXEC_INFO_VARIABLE} has apiVersion ${JSON.stringify(apiVersion)}; expected one of ${EXEC_API_VERSIONS.join(', ')}`,
    );
  }
  return {
    apiVersion: apiVersion as ExecApiVersion,
    interactive: info.spec?.interactive === true,
    fromKubectl: true,
  };
}

/** Formats the ExecCredential kubectl reads from stdout: one compact JSON object and a newline. */
export function formatExecCredential(apiVersion: ExecApiVersion, token: string, expiresAt: Date): string {
  return `${JSON.stringify({
    kind: 'ExecCredential',
    apiVersion,
    spec: { interactive: false },
    // Whole seconds: toISOString always ends in `.sssZ`.
    status: { expirationTimestamp: `${expiresAt.toISOString().slice(0, -'.000Z'.length)}Z`, token },
  })}\n`;
}
