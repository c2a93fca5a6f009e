/**
 * What `logout` decides per cache entry: the provider an entry found by
 * `--all` names, what revoking its tokens did in words, and the error a run
 * ends with when the provider may still honour some of them.
 */
import type { TokenSet } from '../core/credential.ts';
import { AuthError, NetworkError } from '../core/errors.ts';
import { decodeJwtClaims } from '../core/jwt.ts';
import type { LogoutTransport, ProviderOptions } from '../core/options.ts';
import type { RevocationOutcome } from '../provider/revocation.ts';

/** Why the provider may still honour an entry's tokens. */
export type RevocationFailure = 'unreachable' | 'rejected';

/** What happened to one entry. */
export interface EntryResult {
  /** False when nothing was cached under the key. */
  found: boolean;
  /** Why the provider may still honour the tokens, when it may. */
  failure?: RevocationFailure;
}

/**
 * The provider of an entry found by `--all`, from its ID token's `iss` and
 * `azp` or `aud`; undefined without an ID token. The client's credentials
 * given (secret or key, request headers) go only to their own issuer and
 * client: an entry can name any issuer in its `iss` (convert-kubeconfig takes
 * it unchecked), and a client ID such as `kubernetes` is common to many.
 * Another entry is revoked as a public client would revoke it.
 */
export function providerOfEntry(tokens: TokenSet, transport: LogoutTransport): ProviderOptions | undefined {
  const claims = tokens.id_token === undefined ? undefined : decodeJwtClaims(tokens.id_token);
  const issuer = claims?.['iss'];
  const aud = claims?.['aud'];
  const clientId = claims?.['azp'] ?? (Array.isArray(aud) ? aud[0] : aud);
  if (typeof issuer !== 'string' || typeof clientId !== 'string') return undefined;
  const given = transport.credentialsFor;
  if (given !== undefined && given.issuerUrl === issuer && given.clientId === clientId) return given;
  return {
    issuerUrl: issuer,
    clientId,
    clientSecret: undefined,
    extraScopes: [],
    pkceMethod: 'auto',
    authRequestExtraParams: {},
    requestHeaders: {},
    useAccessToken: false,
    certificateAuthorities: transport.certificateAuthorities,
    certificateAuthorityData: transport.certificateAuthorityData,
    insecureSkipTLSVerify: transport.insecureSkipTLSVerify,
  };
}

/** What revocation did, in words for the report, and whether it failed. */
export function describeRevocation(outcome: RevocationOutcome): { words: string; failure?: RevocationFailure } {
  switch (outcome.kind) {
    case 'revoked':
      return { words: `revoked the ${outcome.tokens.join(' and the ')} at the provider` };
    case 'no-endpoint':
      return {
        words:
          'not revoked: the provider has no revocation endpoint, so the refresh token stays valid there until it expires',
      };
    case 'nothing-to-revoke':
      return { words: 'nothing to revoke: the entry held no refresh or access token' };
    case 'already-invalid':
      return { words: 'not revoked: the provider says the refresh token was already invalid' };
    case 'rejected':
      return { words: `not revoked: ${outcome.error.message}`, failure: 'rejected' };
    case 'unreachable':
      return { words: `not revoked: ${outcome.error.message}`, failure: 'unreachable' };
  }
}

/**
 * The error of a run whose entries were deleted but not all revoked: a NetworkError when a provider
 * could not be reached (running logout again may help), an AuthError when providers only refused;
 * undefined when every entry is settled.
 */
export function unrevokedError(results: readonly EntryResult[]): NetworkError | AuthError | undefined {
  const unreachable = results.filter((result) => result.failure === 'unreachable').length;
  const rejected = results.filter((result) => result.failure === 'rejected').length;
  const count = unreachable + rejected;
  if (count === 0) return undefined;
  const message = `${count} cache entr${count === 1 ? 'y was' : 'ies were'} deleted locally but not revoked at the provider: the refresh token may stay valid there`;
  const hint =
    "run logout again when the provider can be reached, or revoke the session in the provider's account page";
  return unreachable > 0 ? new NetworkError(message, { hint }) : new AuthError(message, { hint });
}
