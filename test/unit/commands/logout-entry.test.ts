/** logout's decisions per cache entry: whose entry it is, what revocation did in words, how the run ends. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRevocation, providerOfEntry, unrevokedError } from '../../../src/commands/logout-entry.ts';
import { AuthError, NetworkError } from '../../../src/core/errors.ts';
import type { LogoutTransport, ProviderOptions } from '../../../src/core/options.ts';
import { providerOptions } from '../../support/provider-options.ts';
import { unsignedJwt } from '../../support/unsigned-jwt.ts';

const ISSUER = 'https://issuer.example';
/** What `logout --all --oidc-issuer-url=ISSUER --oidc-client-id=kubernetes` gives: a secret and a header for that client. */
const CREDENTIALS_FOR: ProviderOptions = providerOptions({
  issuerUrl: ISSUER,
  clientId: 'kubernetes',
  clientSecret: 'the-secret',
  requestHeaders: { 'X-Tenant': 'a' },
  certificateAuthorities: ['/etc/ca.pem'],
});
/** The transport flags of `logout --all`: a CA for every entry, and the credentials of one client. */
const TRANSPORT: LogoutTransport = {
  certificateAuthorities: ['/etc/ca.pem'],
  certificateAuthorityData: [],
  insecureSkipTLSVerify: false,
  credentialsFor: CREDENTIALS_FOR,
};

describe('providerOfEntry', () => {
  it('takes the issuer and the client from the ID token, azp before aud, with the transport flags', () => {
    const provider = providerOfEntry(
      { id_token: unsignedJwt({ iss: ISSUER, azp: 'kubernetes', aud: ['kubernetes', 'api'] }) },
      TRANSPORT,
    );
    assert.equal(provider?.issuerUrl, ISSUER);
    assert.equal(provider?.clientId, 'kubernetes');
    assert.equal(provider?.clientSecret, 'the-secret');
    assert.deepEqual(provider?.certificateAuthorities, ['/etc/ca.pem']);
    assert.deepEqual(provider?.requestHeaders, { 'X-Tenant': 'a' });
  });

  it('takes the first audience without azp, and a single audience as it is', () => {
    const fromList = providerOfEntry({ id_token: unsignedJwt({ iss: ISSUER, aud: ['first', 'second'] }) }, TRANSPORT);
    assert.equal(fromList?.clientId, 'first');
    const fromString = providerOfEntry({ id_token: unsignedJwt({ iss: ISSUER, aud: 'only' }) }, TRANSPORT);
    assert.equal(fromString?.clientId, 'only');
  });

  it("sends the credentials only to their own issuer and client: another client's entry, or another issuer's entry of the same client, gets none", () => {
    const otherClient = providerOfEntry({ id_token: unsignedJwt({ iss: ISSUER, aud: 'another-client' }) }, TRANSPORT);
    assert.equal(otherClient?.clientId, 'another-client');
    assert.equal(otherClient?.clientSecret, undefined);
    assert.deepEqual(otherClient?.requestHeaders, {});
    const otherIssuer = providerOfEntry(
      { id_token: unsignedJwt({ iss: 'http://issuer.example.attacker', aud: 'kubernetes' }) },
      TRANSPORT,
    );
    assert.equal(otherIssuer?.issuerUrl, 'http://issuer.example.attacker');
    assert.equal(otherIssuer?.clientSecret, undefined);
    assert.equal(otherIssuer?.clientAssertionKey, undefined);
    assert.deepEqual(otherIssuer?.requestHeaders, {});
    assert.deepEqual(otherIssuer?.certificateAuthorities, ['/etc/ca.pem'], 'the CA flags apply to every entry');
  });

  it('names no provider without an ID token, or with one lacking iss or a client', () => {
    assert.equal(providerOfEntry({ refresh_token: 'opaque' }, TRANSPORT), undefined);
    assert.equal(providerOfEntry({ id_token: unsignedJwt({ aud: 'kubernetes' }) }, TRANSPORT), undefined);
    assert.equal(providerOfEntry({ id_token: unsignedJwt({ iss: ISSUER }) }, TRANSPORT), undefined);
    assert.equal(providerOfEntry({ id_token: unsignedJwt({ iss: ISSUER, aud: [] }) }, TRANSPORT), undefined);
    assert.equal(providerOfEntry({ id_token: unsignedJwt({ iss: 42, aud: 'kubernetes' }) }, TRANSPORT), undefined);
  });
});

describe('describeRevocation', () => {
  it('names the revoked tokens, and no failure', () => {
    assert.deepEqual(describeRevocation({ kind: 'revoked', tokens: ['refresh token', 'access token'] }), {
      words: 'revoked the refresh token and the access token at the provider',
    });
    assert.deepEqual(describeRevocation({ kind: 'revoked', tokens: ['refresh token'] }), {
      words: 'revoked the refresh token at the provider',
    });
  });

  it('says why nothing was revoked where the provider cannot honour the tokens anyway, with no failure', () => {
    for (const outcome of [{ kind: 'nothing-to-revoke' }, { kind: 'already-invalid' }] as const) {
      const described = describeRevocation(outcome);
      assert.equal(described.failure, undefined, outcome.kind);
    }
    assert.match(describeRevocation({ kind: 'nothing-to-revoke' }).words, /^nothing to revoke: /);
    assert.match(describeRevocation({ kind: 'already-invalid' }).words, /already invalid/);
  });

  it('says the token stays valid without a revocation endpoint, which is no failure of the run', () => {
    const described = describeRevocation({ kind: 'no-endpoint' });
    assert.match(described.words, /^not revoked: the provider has no revocation endpoint/);
    assert.equal(described.failure, undefined);
  });

  it("gives the provider's refusal and an unreachable provider in the error's words, as failures", () => {
    assert.deepEqual(describeRevocation({ kind: 'rejected', error: new AuthError('the provider said no') }), {
      words: 'not revoked: the provider said no',
      failure: 'rejected',
    });
    assert.deepEqual(describeRevocation({ kind: 'unreachable', error: new NetworkError('cannot reach it') }), {
      words: 'not revoked: cannot reach it',
      failure: 'unreachable',
    });
  });
});

describe('unrevokedError', () => {
  it('is none when every entry was settled, found or not', () => {
    assert.equal(unrevokedError([]), undefined);
    assert.equal(unrevokedError([{ found: true }, { found: false }]), undefined);
  });

  it('counts the unrevoked entries, in the singular and the plural, with a hint', () => {
    const one = unrevokedError([{ found: true, failure: 'unreachable' }, { found: true }]);
    assert.equal(
      one?.message,
      '1 cache entry left refresh tokens the provider may still honour: they are kept for the next logout to revoke, and no token is served from it',
    );
    assert.match(
      one?.hint ?? '',
      /run logout again \(with the same flags, or --all\) when the provider can be reached/,
    );
    const two = unrevokedError([
      { found: true, failure: 'unreachable' },
      { found: true, failure: 'rejected' },
    ]);
    assert.match(two?.message ?? '', /^2 cache entries left refresh tokens .* no token is served from them$/);
  });

  it('is a network error when a provider could not be reached, an authentication error when they only refused', () => {
    assert.ok(
      unrevokedError([
        { found: true, failure: 'rejected' },
        { found: true, failure: 'unreachable' },
      ]) instanceof NetworkError,
    );
    assert.ok(unrevokedError([{ found: true, failure: 'rejected' }]) instanceof AuthError);
  });
});
