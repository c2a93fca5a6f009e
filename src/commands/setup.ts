/**
 * `setup`: log in once (for the CI grants: fetch, read or exchange the
 * token; no cache read or write), show the claims and the checks, and print
 * (or write) the configuration to use.
 */
import { readFileSync } from 'node:fs';
import { decodeProtectedHeader } from 'jose';
import { parseExecInfo } from '../core/exec-credential.ts';
import { exchangeAudienceOf, type SetupOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import {
  type ExecUser,
  KUBELOGIN_COMMAND,
  putClusterExecExtension,
  putContext,
  putExecUser,
} from '../kubeconfig/kubeconfig-edit.ts';
import { assertWritable, kubeconfigPath, readKubeconfig, writeKubeconfig } from '../kubeconfig/kubeconfig-file.ts';
import { interactiveModeFor } from './exec-user.ts';
import { runSetupChecks } from './setup-checks.ts';
import { providerNotes } from './setup-provider-notes.ts';
import { renderSetupReport } from './setup-report.ts';
import { obtainSetupToken } from './setup-token.ts';

/** The CAs given for the provider, as one PEM bundle, and the first file they came from. */
function readCertificateAuthority(options: SetupOptions): { pem: string; file: string | undefined } | undefined {
  const { certificateAuthorities: files, certificateAuthorityData: data } = options.provider;
  if (files.length === 0 && data.length === 0) return undefined;
  // The login above already read and checked every one of them.
  const pems = [
    ...files.map((file) => readFileSync(file, 'utf8')),
    ...data.map((value) => Buffer.from(value, 'base64').toString('utf8')),
  ];
  return { pem: `${pems.map((pem) => pem.trim()).join('\n')}\n`, file: files[0] };
}

/** Runs setup. */
export async function runSetup(options: SetupOptions, deps: Deps, logger: Logger): Promise<void> {
  const execUser: ExecUser = {
    command: KUBELOGIN_COMMAND,
    args: options.execArgs,
    interactiveMode: interactiveModeFor(options.grant),
    provideClusterInfo: options.clusterSettings !== undefined,
  };
  const { clusterSettings } = options;
  // The kubeconfig is read and edited before the login, so a bad file fails fast and is left untouched.
  const file =
    options.write === undefined
      ? undefined
      : readKubeconfig(kubeconfigPath(options.write.kubeconfig, deps), { mustExist: false });
  if (file !== undefined && options.write !== undefined) {
    assertWritable(file);
    putExecUser(file.document, options.write.user, execUser);
    if (options.write.context !== undefined && options.write.cluster !== undefined) {
      putContext(file.document, options.write.context, options.write.cluster, options.write.user);
    }
    if (clusterSettings !== undefined)
      putClusterExecExtension(file.document, clusterSettings.cluster, clusterSettings.settings);
  }

  const { token, claims, audience, refreshTokenReceived, renewal, noRefreshByDesign, discovery } =
    await obtainSetupToken(options, deps, parseExecInfo(undefined), logger);

  deps.stdout.write(
    renderSetupReport({
      issuerUrl: options.provider.issuerUrl,
      audience,
      claims,
      checks: runSetupChecks({
        issuerUrl: options.provider.issuerUrl,
        audience,
        algorithm: decodeProtectedHeader(token).alg,
        claims,
        usernameClaim: options.usernameClaim,
        groupsClaim: options.groupsClaim,
        refreshTokenReceived,
        renewal,
        noRefreshByDesign,
        useAccessToken: options.provider.useAccessToken,
        loginHint: options.provider.loginHint,
      }),
      providerNotes: providerNotes(options.provider.issuerUrl, discovery),
      usernameClaim: options.usernameClaim,
      groupsClaim: options.groupsClaim,
      requiredClaims: options.requiredClaims,
      usernamePrefix: options.usernamePrefix,
      exchangeAudience: exchangeAudienceOf(options.grant),
      userName: options.userName,
      execUser,
      clusterSettings,
      certificateAuthority: readCertificateAuthority(options),
      utcOffsetMinutes: deps.utcOffsetMinutes,
    }),
  );

  if (file !== undefined && options.write !== undefined) {
    const backup = writeKubeconfig(file);
    const parts = [
      `the user ${options.write.user}`,
      ...(options.write.context ? [`the context ${options.write.context}`] : []),
      ...(clusterSettings ? [`the exec extension of the cluster ${clusterSettings.cluster}`] : []),
    ];
    const what = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
    logger.info(`Wrote ${what} to ${file.path}${backup ? ` (the previous file is kept as ${backup})` : ''}`);
  }
}
