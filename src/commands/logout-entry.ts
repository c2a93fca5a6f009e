/**
 * What `logout` decides per cache entry: the provider an entry found by
 * `--all` names, what revoking its tokens did in words, and the error a run
 * ends with when the provider may still honour some of them.
 */
import type { PendingRevocation } from '../cache/pending-revocation.ts';
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
 * The provider of an issuer and client that `--all` found. The client's
 * credentials given (secret or key, request headers) go only to their own
 * issuer and client: an entry can name any issuer in its `iss`
 * (convert-kubeconfig takes it unchecked), and a client ID such as
 * `kubernetes` is common to many. Another is revoked as a public client would
 * revoke it.
 */
function providerAt(issuer: string, clientId: string, transport: LogoutTransport): ProviderOptions {
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

/**
 * The provider of an entry found by `--all`, from its ID token's `iss` and
 * `azp` or `aud` (see providerAt for the credentials); undefined without an
 * ID token.
 */
export function providerOfEntry(tokens: TokenSet, transport: LogoutTransport): ProviderOptions | undefined {
  const claims = tokens.id_token === undefined ? undefined : decodeJwtClaims(tokens.id_token);
  const issuer = claims?.['iss'];
  const aud = claims?.['aud'];
  const clientId = claims?.['azp'] ?? (Array.isArray(aud) ? aud[0] : aud);
  if (typeof issuer !== 'string' || typeof clientId !== 'string') return undefined;
  return providerAt(issuer, clientId, transport);
}

/** The provider of a record of refresh tokens to revoke found by `--all`: the issuer and client it names. */
export function providerOfRecord(record: PendingRevocation, transport: LogoutTransport): ProviderOptions {
  return providerAt(record.issuer, record.clientId, transport);
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

/** `the refresh token` or `2 refresh tokens`. */
export function refreshTokens(count: number): string {
  return count === 1 ? 'the refresh token' : `${count} refresh tokens`;
}

/**
 * The error of a run that left refresh tokens unrevoked (kept for the next
 * logout, their entries deleted): a NetworkError when a provider could not
 * be reached (running logout again may help), an AuthError when providers
 * only refused; undefined when every entry is settled.
 */
export function unrevokedError(results: readonly EntryResult[]): NetworkError | AuthError | undefined {
  const unreachable = results.filter((result) => result.failure === 'unreachable').length;
  const rejected = results.filter((result) => result.failure === 'rejected').length;
  const count = unreachable + rejected;
  if (count === 0) return undefined;
  const message = `${count} cache entr${count === 1 ? 'y' : 'ies'} left refresh tokens the provider may still honour: they are kept for the next logout to revoke, and no token is served from ${count === 1 ? 'it' : 'them'}`;
  const hint =
    "run logout again (with the same flags, or --all) when the provider can be reached or with the client's credentials it wants, or revoke the session in the provider's account page";
  return unreachable > 0 ? new NetworkError(message, { hint }) : new AuthError(message, { hint });
}
