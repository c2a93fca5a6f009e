/**
 * `convert-kubeconfig`: rewrites users of the removed `auth-provider: oidc`
 * into exec users running `kubelogin get-token`, and seeds the token cache
 * with their tokens so nobody has to log in again.
 */
import { join } from 'node:path';
import type { Document, YAMLMap } from 'yaml';
import { isMap } from 'yaml';
import { DiskTokenStore } from '../cache/token-store.ts';
import { cacheKeyInput, computeCacheKey } from '../core/cache-key.ts';
import { ConfigError } from '../core/errors.ts';
import type { ConvertedUser, ConvertOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { entryNames, findEntry, KUBELOGIN_COMMAND, putExecUser, userOfContext } from '../kubeconfig/kubeconfig-edit.ts';
import { assertWritable, kubeconfigPath, readKubeconfig, writeKubeconfig } from '../kubeconfig/kubeconfig-file.ts';
import { interactiveModeFor } from './exec-user.ts';

/** The `auth-provider` config of a user, when it is `oidc`. */
function oidcAuthProvider(entry: YAMLMap): Record<string, unknown> | undefined {
  const provider = (
    entry.toJSON() as { user?: { 'auth-provider'?: { name?: unknown; config?: Record<string, unknown> } } }
  ).user?.['auth-provider'];
  return provider?.name === 'oidc' ? (provider.config ?? {}) : undefined;
}

/** The token cache directory of a converted user (never `none`: convert-kubeconfig seeds the disk cache). */
function cacheDirOf(converted: ConvertedUser): string {
  if (converted.options.cache.storage === 'none') throw new Error('a converted user has no token cache directory');
  return converted.options.cache.dir;
}

/** The users to convert: the one asked for, or every auth-provider oidc user. */
function targets(document: Document, options: ConvertOptions): string[] {
  const named = options.user ?? (options.context !== undefined ? userOfContext(document, options.context) : undefined);
  if (named === undefined) return entryNames(document, 'users');
  if (findEntry(document, 'users', named) === undefined) {
    throw new ConfigError(`the kubeconfig has no user named ${named}`, {
      hint: `users: ${entryNames(document, 'users').join(', ') || 'none'}`,
    });
  }
  return [named];
}

/** Converts the kubeconfig; reports each user changed on stderr. */
export async function runConvertKubeconfig(options: ConvertOptions, deps: Deps, logger: Logger): Promise<void> {
  const file = readKubeconfig(kubeconfigPath(options.kubeconfig, deps), { mustExist: true });
  assertWritable(file);
  const explicit = options.user !== undefined || options.context !== undefined;
  const converted: string[] = [];
  /** Cache keys of the users converted so far, and whose they are. */
  const keysTaken = new Map<string, string>();
  for (const name of targets(file.document, options)) {
    const entry = findEntry(file.document, 'users', name);
    const config = entry && isMap(entry) ? oidcAuthProvider(entry) : undefined;
    if (config === undefined) {
      if (explicit)
        throw new ConfigError(`the user ${name} does not use auth-provider oidc, so there is nothing to convert`);
      continue;
    }
    let user = options.convertUser(name, config);
    const key = computeCacheKey(cacheKeyInput(user.options));
    const sharer = keysTaken.get(key);
    if (sharer === undefined) {
      keysTaken.set(key, name);
    } else {
      // Same issuer, client and scopes as a user converted before, so the same cache key: a
      // cache directory of its own keeps the two people's tokens apart.
      const ownDir = join(cacheDirOf(user), name.replace(/[^\w.-]+/g, '_'));
      user = options.convertUser(name, config, ownDir);
      logger.warn(
        `the user ${name} has the same provider settings as ${sharer}; it gets its own token cache directory ${ownDir}`,
      );
    }
    const tokens = {
      id_token: config['id-token'] as string | undefined,
      refresh_token: config['refresh-token'] as string | undefined,
    };
    logger.redactor.add(tokens.id_token, tokens.refresh_token, user.options.provider.clientSecret);
    if (tokens.id_token || tokens.refresh_token) {
      await new DiskTokenStore(cacheDirOf(user), { uid: deps.uid, logger }).save(key, tokens);
    }
    putExecUser(file.document, name, {
      command: KUBELOGIN_COMMAND,
      args: user.execArgs,
      interactiveMode: interactiveModeFor(user.options.grant),
      provideClusterInfo: false,
    });
    converted.push(
      `${name}${tokens.id_token || tokens.refresh_token ? ' (its tokens are in the cache: no new login needed)' : ''}`,
    );
  }
  if (converted.length === 0) {
    logger.info(`No user of ${file.path} uses auth-provider oidc; nothing changed.`);
    return;
  }
  const backup = writeKubeconfig(file);
  for (const line of converted) logger.info(`Converted the user ${line} to kubelogin get-token.`);
  logger.info(`Wrote ${file.path}${backup ? ` (the previous file is kept as ${backup})` : ''}`);
}
