/** The providers setup recognises, by their issuer's host or their discovery document, and what it tells their users. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerNotes } from '../../../src/commands/setup-provider-notes.ts';

/** The name of the provider recognised at `issuer` with `discovery`, if any. */
function recognised(issuer: string, discovery?: Record<string, unknown>): string | undefined {
  return providerNotes(issuer, discovery)?.name;
}

describe('providerNotes', () => {
  it('recognises the hosted providers by their issuer', () => {
    assert.equal(recognised('https://accounts.google.com'), 'Google');
    assert.equal(recognised('https://login.microsoftonline.com/0000-tenant/v2.0'), 'Microsoft Entra ID');
    assert.equal(recognised('https://sts.windows.net/0000-tenant/'), 'Microsoft Entra ID');
    assert.equal(recognised('https://example.okta.com/oauth2/default'), 'Okta');
    assert.equal(recognised('https://example.oktapreview.com'), 'Okta');
    assert.equal(recognised('https://gitlab.com'), 'GitLab');
    assert.equal(recognised('https://example.eu.auth0.com/'), 'Auth0');
  });

  it('recognises the self-hosted ones, and custom domains, by their discovery document', () => {
    assert.equal(recognised('https://sso.example.com/realms/platform'), 'Keycloak');
    assert.equal(
      recognised('https://sso.example.com/auth/x', {
        token_endpoint: 'https://sso.example.com/auth/x/protocol/openid-connect/token',
      }),
      'Keycloak',
    );
    assert.equal(recognised('https://git.example.com', { claims_supported: ['sub', 'groups_direct'] }), 'GitLab');
    assert.equal(
      recognised('https://dex.example.com/dex', {
        jwks_uri: 'https://dex.example.com/dex/keys',
        device_authorization_endpoint: 'https://dex.example.com/dex/device/code',
      }),
      'Dex',
    );
    assert.equal(
      recognised('https://login.example.com/', { mfa_challenge_endpoint: 'https://login.example.com/mfa/challenge' }),
      'Auth0',
    );
  });

  it('recognises nothing else, not even a host that only ends like a known one', () => {
    assert.equal(recognised('https://issuer.example.com'), undefined);
    assert.equal(recognised('https://notokta.com'), undefined);
    assert.equal(recognised('https://example.com', { jwks_uri: 'https://example.com/keys' }), undefined);
  });

  it("gives each provider's settings as flags to add", () => {
    const google = providerNotes('https://accounts.google.com', undefined)?.notes.join('\n') ?? '';
    assert.match(google, /--oidc-auth-request-extra-params=access_type=offline/);
    assert.match(google, /--oidc-client-secret/);
    const entra = providerNotes('https://login.microsoftonline.com/t/v2.0', undefined)?.notes.join('\n') ?? '';
    assert.match(entra, /_claim_names/);
    assert.match(entra, /v2\.0/);
    const gitlab = providerNotes('https://git.example.com/', { claims_supported: ['groups_direct'] })?.notes ?? [];
    assert.match(
      gitlab.join('\n'),
      /--oidc-device-authorization-endpoint=https:\/\/git\.example\.com\/oauth\/authorize_device /,
    );
    for (const issuer of ['https://example.okta.com', 'https://sso.example.com/realms/r', 'https://x.auth0.com']) {
      const notes = providerNotes(issuer, undefined)?.notes ?? [];
      assert.ok(notes.length >= 2 && notes.length <= 3, `${issuer}: ${notes.length} notes`);
    }
  });
});
