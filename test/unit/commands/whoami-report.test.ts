import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { likelyRejectionCause } from '../../../src/commands/whoami-report.ts';

const NOW = 1_800_000_000;
const EXPECTED = { issuerUrl: 'https://issuer.example', clientId: 'kubernetes', useAccessToken: false };

describe('likelyRejectionCause', () => {
  it('names expiry first, without leeway', () => {
    assert.match(
      likelyRejectionCause({ iss: 'https://issuer.example', aud: 'kubernetes', exp: NOW }, EXPECTED, NOW),
      /^expiry: the token expired 0s ago/,
    );
    assert.match(
      likelyRejectionCause({ iss: 'https://issuer.example', aud: 'kubernetes' }, EXPECTED, NOW),
      /^expiry: the token has no exp/,
    );
  });

  it("names the issuer when iss differs from the exec user's --oidc-issuer-url", () => {
    assert.match(
      likelyRejectionCause({ iss: 'https://issuer.example/', aud: 'kubernetes', exp: NOW + 60 }, EXPECTED, NOW),
      /^issuer: iss is "https:\/\/issuer\.example\/", but the user's --oidc-issuer-url is https:\/\/issuer\.example;/,
    );
  });

  it('names the audience when aud lacks the client ID, except for an access token', () => {
    assert.match(
      likelyRejectionCause({ iss: 'https://issuer.example', aud: ['other'], exp: NOW + 60 }, EXPECTED, NOW),
      /^audience: aud \["other"\] does not contain the user's --oidc-client-id kubernetes$/,
    );
    assert.match(
      likelyRejectionCause(
        { iss: 'https://issuer.example', aud: ['api'], exp: NOW + 60 },
        { ...EXPECTED, useAccessToken: true },
        NOW,
      ),
      /^issuer, audience or signature: /,
    );
  });

  it('otherwise says what the API server must expect', () => {
    assert.equal(
      likelyRejectionCause({ iss: 'https://issuer.example', aud: 'kubernetes', exp: NOW + 60 }, EXPECTED, NOW),
      'issuer, audience or signature: iss, aud and exp agree with the kubeconfig, so the API server likely expects another issuer or audience (its issuer URL must be https://issuer.example and its audiences must contain "kubernetes"), or cannot verify the signature with https://issuer.example\'s keys',
    );
  });
});
