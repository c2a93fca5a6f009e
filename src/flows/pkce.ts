/**
 * PKCE (RFC 7636) for the authorization code and device flows.
 */
import * as client from 'openid-client';
import type { ProviderSession } from '../provider/session.ts';

/** PKCE parameters of one login. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

/**
 * Decides PKCE by `--oidc-pkce-method`: `auto` uses S256 when discovery lists
 * it; undefined when PKCE is off. The verifier is a secret like the code it
 * goes with: registered with the redactor before anything can echo it.
 */
export async function preparePkce(session: ProviderSession): Promise<Pkce | undefined> {
  const method = session.options.pkceMethod;
  const listed = session.metadata.code_challenge_methods_supported?.includes('S256') ?? false;
  if (method === 'no' || (method === 'auto' && !listed)) return undefined;
  const verifier = client.randomPKCECodeVerifier();
  session.logger.redactor.add(verifier);
  return { verifier, challenge: await client.calculatePKCECodeChallenge(verifier) };
}

/** The authorization or device request parameters of PKCE. */
export function pkceChallengeParameters(pkce: Pkce | undefined): Record<string, string> {
  return pkce ? { code_challenge: pkce.challenge, code_challenge_method: 'S256' } : {};
}
