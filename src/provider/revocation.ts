/**
 * Token revocation at the provider (RFC 7009), for `logout`: the refresh
 * token, and the access token when one is held, sent with the same client
 * authentication as the token requests (the session's configuration).
 */
import * as client from 'openid-client';
import type { TokenSet } from '../core/credential.ts';
import { AuthError, type KubeloginError } from '../core/errors.ts';
import { describeProviderError } from './errors.ts';
import type { ProviderSession } from './session.ts';

/**
 * OAuth error codes some providers answer for a token they no longer know,
 * although RFC 7009 section 2.2 says to answer 200 for an invalid token.
 */
const ALREADY_INVALID_ERRORS: ReadonlySet<string> = new Set(['invalid_grant', 'invalid_token']);

/** What revocation did. `failed` carries the error in words; `unreachable` is a failure to talk to the provider at all. */
export type RevocationOutcome =
  | { kind: 'revoked'; tokens: string[] }
  | { kind: 'no-endpoint' }
  | { kind: 'nothing-to-revoke' }
  | { kind: 'already-invalid' }
  | { kind: 'rejected'; error: KubeloginError }
  | { kind: 'unreachable'; error: KubeloginError };

/** The hints of RFC 7009 for each token kubelogin keeps. */
const TOKEN_TYPE_HINTS = [
  ['refresh_token', 'refresh token'],
  ['access_token', 'access token'],
] as const;

/** Revokes the refresh token, then the access token, of an entry. */
export async function revokeTokens(session: ProviderSession, tokens: TokenSet): Promise<RevocationOutcome> {
  session.logger.redactor.add(tokens.refresh_token, tokens.access_token, tokens.id_token);
  if (session.metadata.revocation_endpoint === undefined) return { kind: 'no-endpoint' };
  const revoked: string[] = [];
  for (const [hint, name] of TOKEN_TYPE_HINTS) {
    const token = tokens[hint];
    if (token === undefined) continue;
    try {
      await client.tokenRevocation(session.config, token, { token_type_hint: hint });
      revoked.push(name);
    } catch (cause) {
      const error = describeProviderError(cause, `the revocation of the ${name}`, session.host);
      if (error instanceof AuthError) {
        if (error.oauthError !== undefined && ALREADY_INVALID_ERRORS.has(error.oauthError)) {
          if (hint === 'refresh_token') return { kind: 'already-invalid' };
          continue;
        }
        return { kind: 'rejected', error };
      }
      return { kind: 'unreachable', error };
    }
  }
  return revoked.length === 0 ? { kind: 'nothing-to-revoke' } : { kind: 'revoked', tokens: revoked };
}

/**
 * The provider's RP-initiated logout URL (OpenID Connect RP-Initiated Logout
 * 1.0) with `client_id` and no `id_token_hint` (the provider then asks the
 * person to confirm); undefined when it has no `end_session_endpoint`.
 */
export function endSessionUrl(session: ProviderSession): string | undefined {
  const endpoint = session.metadata.end_session_endpoint;
  if (endpoint === undefined) return undefined;
  const url = new URL(endpoint);
  url.searchParams.set('client_id', session.options.clientId);
  return url.href;
}
