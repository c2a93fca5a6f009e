/**
 * `whoami`: for a context's user (an exec user running this plugin), get the
 * credential as kubectl would (cache, refresh; a browser only with --login),
 * then show what the token says beside what the cluster says
 * (SelfSubjectReview). Its report is its output: stdout, text or JSON.
 */
import { basename } from 'node:path';
import { type EnvironmentProxy, reviewSelf, reviewUrl } from '../cluster/self-subject-review.ts';
import { AuthError, ConfigError, InteractionRequiredError, KubeloginError } from '../core/errors.ts';
import { parseExecInfo } from '../core/exec-credential.ts';
import { isoTime } from '../core/iso-time.ts';
import { decodeJwtClaims } from '../core/jwt.ts';
import type { GetTokenOptions, WhoamiOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { type KubeconfigContext, readKubeconfigContext } from '../kubeconfig/kubeconfig-context.ts';
import { kubeconfigPath, readKubeconfig } from '../kubeconfig/kubeconfig-file.ts';
import { proxyFor, readProxyEnvironment } from '../provider/proxy-environment.ts';
import { obtainCredential } from './get-token.ts';
import {
  likelyRejectionCause,
  renderWhoamiJson,
  renderWhoamiText,
  SHOWN_CLAIMS,
  type TokenSide,
  type WhoamiReport,
} from './whoami-report.ts';

/** Executables that are this plugin, run as `<name> get-token ...` (a Windows or script suffix aside). */
const PLUGIN_EXECUTABLES: ReadonlySet<string> = new Set(['kubelogin', 'kubectl-oidc_login']);
/** Suffixes an executable's file name may carry. */
const EXECUTABLE_SUFFIX = /\.(exe|cmd|bat|js|cjs|mjs)$/i;

/** The get-token arguments of an exec block that runs this plugin; undefined for any other exec block. */
function pluginArgs(exec: { command: string; args: string[] }): string[] | undefined {
  const name = basename(exec.command.replace(/\\/g, '/')).replace(EXECUTABLE_SUFFIX, '');
  if (PLUGIN_EXECUTABLES.has(name) && exec.args[0] === 'get-token') return exec.args.slice(1);
  if (name === 'kubectl' && exec.args[0] === 'oidc-login' && exec.args[1] === 'get-token') return exec.args.slice(2);
  return undefined;
}

/** The get-token run of the context's user with the environment kubectl gives it, or a one-line error naming the user, context and file. */
function getTokenOptionsOfUser(
  found: KubeconfigContext,
  options: WhoamiOptions,
  env: NodeJS.ProcessEnv,
): GetTokenOptions {
  const where = `the user ${found.userName} of the context ${found.context} in ${found.file}`;
  const args = found.exec === undefined ? undefined : pluginArgs(found.exec);
  if (args === undefined) {
    const what =
      found.exec === undefined
        ? 'is not an exec user'
        : `runs ${found.exec.command}${found.exec.args[0] ? ` ${found.exec.args[0]}` : ''}, not kubelogin get-token`;
    throw new ConfigError(`${where} ${what}`, {
      hint: 'whoami works with users that run kubelogin get-token (see kubelogin setup or convert-kubeconfig)',
    });
  }
  const cluster = found.exec?.provideClusterInfo
    ? { server: found.cluster.server, config: found.cluster.execExtension }
    : undefined;
  let getToken: GetTokenOptions | undefined;
  try {
    getToken = options.getTokenOptionsOf(args, cluster, env);
  } catch (error) {
    if (error instanceof KubeloginError)
      throw new ConfigError(`${where}: ${error.message}`, { hint: error.hint, cause: error });
    throw error;
  }
  if (getToken === undefined)
    throw new ConfigError(`${where} passes arguments get-token does not take`, {
      hint: 'run kubelogin get-token --help to see its flags',
    });
  return getToken;
}

/** The credential as get-token would hand it to kubectl (a login only with --login), whether a refresh token is held, and where the entry lives. */
async function credentialFor(
  getToken: GetTokenOptions,
  found: KubeconfigContext,
  options: WhoamiOptions,
  deps: Deps,
  logger: Logger,
) {
  const refuseLogin = () =>
    new InteractionRequiredError(
      `no usable token is cached for the user ${found.userName} of the context ${found.context}, and a new one needs a login`,
      {
        hint: `run kubelogin whoami --login${options.context ? ` --context ${options.context}` : ''}, or any kubectl command of that context`,
      },
    );
  const obtained = await obtainCredential(getToken, {
    execInfo: parseExecInfo(undefined),
    deps,
    logger,
    ...(options.login ? {} : { refuseLogin }),
  });
  const { credential } = obtained;
  if ('tokenFile' in obtained)
    return { credential, refreshTokenHeld: false, location: `the file ${obtained.tokenFile}` };
  const { store, key } = obtained.entry;
  const tokens = await store.load(key);
  return { credential, refreshTokenHeld: tokens?.refresh_token !== undefined, location: store.location(key) };
}

/** The proxy of the environment for a URL, by the rules of the provider's connection (Go's net/http). */
function environmentProxyOf(env: NodeJS.ProcessEnv): (url: URL) => EnvironmentProxy | undefined {
  const proxies = readProxyEnvironment(env);
  return (url) => {
    const proxy = proxyFor(proxies, url);
    return proxy && { url: proxy.url, variable: proxy.variable };
  };
}

/** Runs whoami. */
export async function runWhoami(options: WhoamiOptions, deps: Deps, logger: Logger): Promise<void> {
  const file = readKubeconfig(kubeconfigPath(options.kubeconfig, deps), { mustExist: true });
  const found = readKubeconfigContext(file, options.context);
  const target = { cluster: found.cluster, context: found.context, file: found.file };
  // Before any token is obtained: a server kubectl would send none to gets none.
  const url = reviewUrl(target);
  const environmentProxy = environmentProxyOf(deps.env);
  // The plugin runs with kubectl's environment and the exec block's env on top, as kubectl runs it.
  const pluginDeps: Deps = { ...deps, env: { ...deps.env, ...found.exec?.env } };
  const getToken = getTokenOptionsOfUser(found, options, pluginDeps.env);
  const { credential, refreshTokenHeld, location } = await credentialFor(getToken, found, options, pluginDeps, logger);
  logger.redactor.add(credential.token);

  const claims = decodeJwtClaims(credential.token) ?? {};
  const nowSeconds = deps.now() / 1000;
  const token: TokenSide = {
    kind: getToken.provider.useAccessToken ? 'access_token' : 'id_token',
    issuer: typeof claims['iss'] === 'string' ? claims['iss'] : undefined,
    subject: typeof claims['sub'] === 'string' ? claims['sub'] : undefined,
    claims: Object.fromEntries(
      SHOWN_CLAIMS.filter((claim) => claims[claim] !== undefined).map((claim) => [claim, claims[claim]]),
    ),
    expiresAt: typeof claims.exp === 'number' ? isoTime(claims.exp) : undefined,
    secondsLeft: typeof claims.exp === 'number' ? Math.round(claims.exp - nowSeconds) : undefined,
    refreshTokenHeld,
    cacheEntry: getToken.cache.storage === 'none' ? 'none (--token-cache-storage=none)' : location,
    ...(getToken.provider.loginHint === undefined ? {} : { loginHint: getToken.provider.loginHint }),
  };
  const answer = await reviewSelf(target, url, credential.token, { env: deps.env, logger, environmentProxy });
  const report: WhoamiReport = {
    kubeconfig: found.file,
    context: found.context,
    user: found.userName,
    token,
    cluster:
      answer.kind === 'user'
        ? { server: found.cluster.server, userInfo: answer.userInfo }
        : {
            server: found.cluster.server,
            rejected: {
              status: answer.status,
              message: answer.message,
              likelyCause:
                answer.status === 401
                  ? likelyRejectionCause(
                      claims,
                      {
                        issuerUrl: getToken.provider.issuerUrl,
                        clientId: getToken.provider.clientId,
                        useAccessToken: getToken.provider.useAccessToken,
                      },
                      nowSeconds,
                    )
                  : 'authorization: the API server knows the token but does not let this user create a SelfSubjectReview',
            },
          },
  };
  deps.stdout.write(options.output === 'json' ? renderWhoamiJson(report) : renderWhoamiText(report));
  if (report.cluster.rejected !== undefined) {
    throw new AuthError(
      `the API server ${found.cluster.server} (context ${found.context}) rejected the token with HTTP ${report.cluster.rejected.status}`,
      {
        hint: `likely ${report.cluster.rejected.likelyCause.split(':')[0]}: see the report above`,
      },
    );
  }
}
