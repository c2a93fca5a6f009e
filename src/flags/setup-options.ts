/**
 * Conversion of setup's flags into SetupOptions.
 */
import { UsageError } from '../core/errors.ts';
import type { SetupOptions } from '../core/options.ts';
import { expandHome } from '../core/paths.ts';
import { toExecArgs } from './exec-args.ts';
import { LOGIN_FLAGS, NOT_MIRRORED_FLAGS } from './flag-specs.ts';
import { type RawLoginFlags, toLoginOptions } from './login-options.ts';

/** The claims a default API server maps (`--oidc-username-claim` and `--oidc-groups-claim` defaults). */
const DEFAULT_USERNAME_CLAIM = 'sub';
const DEFAULT_GROUPS_CLAIM = 'groups';
/** The kubeconfig user name of the Go kubelogin's setup instructions. */
const DEFAULT_USER_NAME = 'oidc';
/** The username prefix of CI jobs' tokens, as in Oracle's OKE guide: CI identities stay apart from people's. */
const GITHUB_ACTIONS_USERNAME_PREFIX = 'actions-oidc:';

/** Parsed values of setup's flags. */
export interface RawSetupFlags extends RawLoginFlags {
  usernameClaim?: string;
  usernamePrefix?: string;
  groupsClaim?: string;
  requiredClaim?: Record<string, string>;
  writeKubeconfig?: boolean;
  kubeconfig?: string;
  user?: string;
  context?: string;
  cluster?: string;
}

/** Converts and validates setup's flags. */
export function toSetupOptions(
  raw: RawSetupFlags,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): SetupOptions {
  if ((raw.context === undefined) !== (raw.cluster === undefined)) {
    throw new UsageError(
      raw.context === undefined
        ? '--cluster needs --context'
        : '--context needs --cluster (the cluster the context uses)',
    );
  }
  if (raw.grantType === 'token-file' && !raw.oidcIssuerUrl) {
    throw new UsageError(
      'setup --grant-type=token-file needs --oidc-issuer-url: the API server is configured with the issuer it trusts',
    );
  }
  const userName = raw.user || DEFAULT_USER_NAME;
  const mirrored = LOGIN_FLAGS.filter((spec) => !NOT_MIRRORED_FLAGS.has(spec.name));
  // The kubeconfig gets today's flags for the deprecated ones, so kubectl runs print no deprecation warning.
  const modern: RawSetupFlags = {
    ...raw,
    listenAddress: raw.listenAddress ?? raw.listenPort?.map((port) => `127.0.0.1:${port}`),
    listenPort: undefined,
    oidcRedirectUrl: raw.oidcRedirectUrl ?? raw.oidcRedirectUrlAuthcodeKeyboard,
    oidcRedirectUrlAuthcodeKeyboard: undefined,
  };
  return {
    ...toLoginOptions(raw, env, warn),
    usernameClaim: raw.usernameClaim || DEFAULT_USERNAME_CLAIM,
    usernamePrefix:
      raw.usernamePrefix ?? (raw.grantType === 'github-actions' ? GITHUB_ACTIONS_USERNAME_PREFIX : undefined),
    groupsClaim: raw.groupsClaim || DEFAULT_GROUPS_CLAIM,
    requiredClaims: raw.requiredClaim ?? {},
    execArgs: ['get-token', ...toExecArgs(modern as Record<string, unknown>, mirrored)],
    userName,
    write: raw.writeKubeconfig
      ? {
          kubeconfig: raw.kubeconfig && expandHome(raw.kubeconfig, env),
          user: userName,
          context: raw.context,
          cluster: raw.cluster,
        }
      : undefined,
  };
}
