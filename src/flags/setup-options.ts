/**
 * Conversion of setup's flags into SetupOptions.
 */
import { UsageError } from '../core/errors.ts';
import type { SetupOptions } from '../core/options.ts';
import { expandHome, type PathEnvironment } from '../core/paths.ts';
import { GITHUB_ACTIONS_USERNAME_PREFIX, SETUP_FLAGS } from './command-flags.ts';
import { toClusterSettings, toExecArgs } from './exec-args.ts';
import { defaultsOf, LOGIN_FLAGS, type RawFlags } from './flag-specs.ts';
import { listenAddressesOfPorts, toLoginOptions } from './login-options.ts';

/** Parsed values of setup's flags. */
export type RawSetupFlags = RawFlags<typeof SETUP_FLAGS>;

/** The defaults of setup's flags. */
const DEFAULTS = defaultsOf(SETUP_FLAGS);

/** The login flags setup writes into the kubeconfig's exec block. */
const MIRRORED_FLAGS = LOGIN_FLAGS.filter((spec) => !('mirrored' in spec));

/** What names the provider and the client a cluster trusts: with --provide-cluster-info, the cluster's own settings. */
const PER_CLUSTER_FLAG_NAMES: ReadonlySet<string> = new Set([
  'oidc-issuer-url',
  'oidc-client-id',
  'oidc-client-secret',
  'oidc-client-assertion-key',
  'oidc-client-assertion-kid',
  'oidc-client-assertion-alg',
  'exchange-audience',
]);
/** The mirrored flags that go into the cluster's exec extension with --provide-cluster-info. */
const PER_CLUSTER_FLAGS = MIRRORED_FLAGS.filter((spec) => PER_CLUSTER_FLAG_NAMES.has(spec.name));
/** The mirrored flags every cluster of a --provide-cluster-info user shares. */
const SHARED_FLAGS = MIRRORED_FLAGS.filter((spec) => !PER_CLUSTER_FLAG_NAMES.has(spec.name));

/** `--context` and `--cluster`: together, or `--cluster` alone with `--provide-cluster-info`. */
function checkContextAndCluster(raw: RawSetupFlags): void {
  if (raw.provideClusterInfo) {
    if (raw.cluster === undefined)
      throw new UsageError('--provide-cluster-info needs --cluster (the cluster whose extension gets the settings)');
    return;
  }
  if ((raw.context === undefined) !== (raw.cluster === undefined)) {
    throw new UsageError(
      raw.context === undefined
        ? '--cluster needs --context'
        : '--context needs --cluster (the cluster the context uses)',
    );
  }
}

/** Converts and validates setup's flags. */
export function toSetupOptions(
  raw: RawSetupFlags,
  world: PathEnvironment,
  warn: (message: string) => void,
): SetupOptions {
  checkContextAndCluster(raw);
  if (raw.grantType === 'token-file' && !raw.oidcIssuerUrl) {
    throw new UsageError(
      'setup --grant-type=token-file needs --oidc-issuer-url: the API server is configured with the issuer it trusts',
    );
  }
  const userName = raw.user || DEFAULTS.user;
  // The kubeconfig gets today's flags for the deprecated ones, so kubectl runs print no deprecation warning.
  const modern: RawSetupFlags = {
    ...raw,
    listenAddress: raw.listenAddress ?? (raw.listenPort && listenAddressesOfPorts(raw.listenPort)),
    listenPort: undefined,
    oidcRedirectUrl: raw.oidcRedirectUrl ?? raw.oidcRedirectUrlAuthcodeKeyboard,
    oidcRedirectUrlAuthcodeKeyboard: undefined,
  };
  return {
    ...toLoginOptions(raw, world, warn),
    usernameClaim: raw.usernameClaim || DEFAULTS.usernameClaim,
    usernamePrefix:
      raw.usernamePrefix ?? (raw.grantType === 'github-actions' ? GITHUB_ACTIONS_USERNAME_PREFIX : undefined),
    groupsClaim: raw.groupsClaim || DEFAULTS.groupsClaim,
    requiredClaims: raw.requiredClaim ?? {},
    execArgs: ['get-token', ...toExecArgs(modern, raw.provideClusterInfo ? SHARED_FLAGS : MIRRORED_FLAGS)],
    clusterSettings:
      raw.provideClusterInfo && raw.cluster !== undefined
        ? { cluster: raw.cluster, settings: toClusterSettings(modern, PER_CLUSTER_FLAGS) }
        : undefined,
    userName,
    write: raw.writeKubeconfig
      ? {
          kubeconfig: raw.kubeconfig && expandHome(raw.kubeconfig, world),
          user: userName,
          context: raw.context,
          cluster: raw.cluster,
        }
      : undefined,
  };
}
