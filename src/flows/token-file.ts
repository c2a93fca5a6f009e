/**
 * The token-file grant's verification, when --oidc-issuer-url is given: the
 * token read from the file is checked against that issuer's discovery and
 * JWKS on every run (nothing is cached: the file is the cache).
 */
import type { ProviderOptions } from '../core/options.ts';
import type { Logger } from '../io/logger.ts';
import { connectProvider } from '../provider/session.ts';

/** What the verification takes from the world. */
export interface TokenFileWorld {
  env: NodeJS.ProcessEnv;
  now: () => number;
  logger: Logger;
}

/** Verifies the token of `--token-file` (signature, `iss`, `aud` = the client ID, `exp`); an AuthError names the file. */
export async function verifyTokenFile(
  provider: ProviderOptions,
  tokenFile: string,
  token: string,
  world: TokenFileWorld,
): Promise<void> {
  const session = await connectProvider(provider, world);
  await session.verifier.verifyForeignToken(token, `token in --token-file ${tokenFile}`);
  world.logger.debug(`verified the token in --token-file ${tokenFile}`);
}
