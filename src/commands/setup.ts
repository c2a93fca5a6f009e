/**
 * `setup`: log in once (no cache read or write), show the claims and the
 * checks, and print (or write) the configuration to use.
 */
import { readFileSync } from 'node:fs';
import { decodeProtectedHeader } from 'jose';
import { tokenForKubectl } from '../core/credential.ts';
import { parseExecInfo } from '../core/exec-credential.ts';
import { AuthError } from '../core/errors.ts';
import { decodeJwtClaims, type JwtClaims } from '../core/jwt.ts';
import { type SetupOptions, usesPasswordGrant } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { assertWritable, kubeconfigPath, readKubeconfig, writeKubeconfig } from '../kubeconfig/kubeconfig-file.ts';
import { type ExecUser, KUBELOGIN_COMMAND, putContext, putExecUser } from '../kubeconfig/kubeconfig-edit.ts';
import { login, resolveGrant } from '../flows/login.ts';
import { proveRefresh } from '../flows/refresh.ts';
import { connectProvider } from '../provider/session.ts';
import { runSetupChecks } from './setup-checks.ts';
import { renderSetupReport } from './setup-report.ts';

/**
 * IfAvailable when get-token with the mirrored flags may need a person typing
 * (a pasted code, or a password, which is never written into a kubeconfig).
 */
function interactiveMode(options: SetupOptions): ExecUser['interactiveMode'] {
  return usesPasswordGrant(options) || options.grantType === 'authcode-keyboard' ? 'IfAvailable' : 'Never';
}

/** The CAs given for the provider, as one PEM bundle, and the first file they came from. */
function readCertificateAuthority(options: SetupOptions): { pem: string; file: string | undefined } | undefined {
  const { certificateAuthorities: files, certificateAuthorityData: data } = options.provider;
  if (files.length === 0 && data.length === 0) return undefined;
  // The login above already read and checked every one of them.
  const pems = [...files.map((file) => readFileSync(file, 'utf8')), ...data.map((value) => Buffer.from(value, 'base64').toString('utf8'))];
  return { pem: pems.map((pem) => pem.trim()).join('\n') + '\n', file: files[0] };
}

/** The first audience of a token, as the API server must be configured with it. */
function firstAudience(claims: JwtClaims): string {
  const aud = claims['aud'];
  return String(Array.isArray(aud) ? aud[0] : (aud ?? ''));
}

/** Runs setup. */
export async function runSetup(options: SetupOptions, deps: Deps, logger: Logger): Promise<void> {
  const execUser: ExecUser = { command: KUBELOGIN_COMMAND, args: options.execArgs, interactiveMode: interactiveMode(options) };
  // The kubeconfig is read and edited before the login, so a bad file fails fast and is left untouched.
  const file = options.write === undefined ? undefined : readKubeconfig(kubeconfigPath(options.write.kubeconfig, deps.env), { mustExist: false });
  if (file !== undefined && options.write !== undefined) {
    assertWritable(file);
    putExecUser(file.document, options.write.user, execUser);
    if (options.write.context !== undefined && options.write.cluster !== undefined) {
      putContext(file.document, options.write.context, options.write.cluster, options.write.user);
    }
  }

  const context = { deps, execInfo: parseExecInfo(undefined) };
  const session = await connectProvider(options.provider, { env: deps.env, now: deps.now, logger });
  const tokens = await login(session, options, resolveGrant(session, options, context), context);
  const token = tokenForKubectl(tokens, options.provider.useAccessToken);
  const claims = token === undefined ? undefined : decodeJwtClaims(token);
  if (token === undefined || claims === undefined) throw new AuthError('the provider returned no token to show');
  // An ID token is for the client; an access token is for the API server, whose audience it names.
  const audience = token === tokens.id_token ? options.provider.clientId : firstAudience(claims);
  // One refresh proves that kubectl's runs will renew the token without a browser.
  const renewal = tokens.refresh_token === undefined ? undefined : await proveRefresh(session, tokens.refresh_token);

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
        refreshTokenReceived: tokens.refresh_token !== undefined,
        renewal,
        useAccessToken: options.provider.useAccessToken,
      }),
      usernameClaim: options.usernameClaim,
      groupsClaim: options.groupsClaim,
      requiredClaims: options.requiredClaims,
      userName: options.userName,
      execUser,
      certificateAuthority: readCertificateAuthority(options),
    }),
  );

  if (file !== undefined && options.write !== undefined) {
    const backup = writeKubeconfig(file);
    const what = `the user ${options.write.user}${options.write.context ? ` and the context ${options.write.context}` : ''}`;
    logger.info(`Wrote ${what} to ${file.path}${backup ? ` (the previous file is kept as ${backup})` : ''}`);
  }
}
