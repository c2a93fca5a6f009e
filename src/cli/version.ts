/**
 * The package version, inlined by the build (scripts/build.mjs) so the hot
 * path reads no package.json.
 */
declare const KUBELOGIN_VERSION: string | undefined;

/** The version printed by `version` and `--version`; `dev` when run from source. */
export const VERSION: string = typeof KUBELOGIN_VERSION === 'string' ? KUBELOGIN_VERSION : 'dev';
