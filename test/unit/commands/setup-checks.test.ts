import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CheckInput, type CheckResult, runSetupChecks } from '../../../src/commands/setup-checks.ts';
import { CHECK_NAMES } from '../../support/setup-output.ts';

const ISSUER = 'https://issuer.example';
const CLIENT_ID = 'kubernetes';
const NOW = 1_800_000_000;

/** Claims and settings a default API server accepts and maps as expected, with `changes` applied. */
function input(
  changes: Partial<Omit<CheckInput, 'claims'>> = {},
  claimChanges: Record<string, unknown> = {},
): CheckInput {
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    groups: ['developers'],
    iat: NOW,
    exp: NOW + 3600,
  };
  for (const [name, value] of Object.entries(claimChanges)) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  return {
    issuerUrl: ISSUER,
    audience: CLIENT_ID,
    algorithm: 'RS256',
    claims,
    usernameClaim: 'email',
    groupsClaim: 'groups',
    refreshTokenReceived: true,
    renewal: { kind: 'renewed', rotated: true },
    noRefreshByDesign: false,
    useAccessToken: false,
    ...changes,
  };
}

/** The check named `name`; fails when there is not exactly one. */
function check(results: CheckResult[], name: string): CheckResult {
  const matches = results.filter((result) => result.name === name);
  assert.equal(matches.length, 1, `expected one ${name} check, got ${JSON.stringify(results)}`);
  return matches[0] as CheckResult;
}

/** The status of `name` for `input`. */
function statusOf(name: string, checkInput: CheckInput): CheckResult {
  return check(runSetupChecks(checkInput), name);
}

describe('runSetupChecks', () => {
  it('passes everything for a token a default API server accepts, in the documented order, each with a one-line reason', () => {
    const results = runSetupChecks(input());
    assert.deepEqual(
      results.map((result) => result.name),
      CHECK_NAMES,
    );
    for (const result of results) {
      assert.equal(result.status, 'pass', JSON.stringify(result));
      assert.ok(result.reason.length > 0 && !result.reason.includes('\n'), JSON.stringify(result));
    }
  });

  describe('issuer', () => {
    it('passes when iss equals the issuer URL', () => {
      assert.equal(statusOf('issuer', input()).status, 'pass');
    });
    it('fails on any difference, a trailing slash included, naming both', () => {
      const result = statusOf('issuer', input({}, { iss: `${ISSUER}/` }));
      assert.equal(result.status, 'fail');
      assert.ok(result.reason.includes(`${ISSUER}/`) && result.reason.includes(ISSUER));
    });
    it('fails when iss is missing', () => {
      assert.equal(statusOf('issuer', input({}, { iss: undefined })).status, 'fail');
    });
  });

  describe('audience', () => {
    it('passes a string aud equal to the client ID', () => {
      assert.equal(statusOf('audience', input()).status, 'pass');
    });
    it('passes a list aud containing the client ID', () => {
      assert.equal(statusOf('audience', input({}, { aud: ['other', CLIENT_ID] })).status, 'pass');
    });
    it('fails a string aud of another client, naming the client ID', () => {
      const result = statusOf('audience', input({}, { aud: 'kubernetes-api' }));
      assert.equal(result.status, 'fail');
      assert.match(result.reason, /kubernetes-api/);
      assert.match(result.reason, new RegExp(`does not contain ${CLIENT_ID}`));
    });
    it('fails a list aud without the client ID, and a missing aud', () => {
      assert.equal(statusOf('audience', input({}, { aud: ['a', 'b'] })).status, 'fail');
      assert.equal(statusOf('audience', input({}, { aud: undefined })).status, 'fail');
    });
  });

  describe('signing algorithm', () => {
    it('passes RS256', () => {
      assert.equal(statusOf('signing algorithm', input()).status, 'pass');
    });
    for (const algorithm of ['RS384', 'RS512', 'PS256', 'ES256', 'ES512']) {
      it(`warns for ${algorithm}, which the API server accepts only when configured, naming the flag`, () => {
        const result = statusOf('signing algorithm', input({ algorithm }));
        assert.equal(result.status, 'warn');
        assert.match(result.reason, new RegExp(`--oidc-signing-algs=${algorithm}`));
      });
    }
    for (const algorithm of ['HS256', 'none', 'EdDSA', undefined]) {
      it(`fails ${String(algorithm)}`, () => {
        assert.equal(statusOf('signing algorithm', input({ algorithm })).status, 'fail');
      });
    }
  });

  describe('username claim', () => {
    it('passes a non-empty string claim, quoting it', () => {
      const result = statusOf('username claim', input());
      assert.equal(result.status, 'pass');
      assert.match(result.reason, /"alice@example\.com"/);
    });
    it('follows --username-claim', () => {
      const result = statusOf('username claim', input({ usernameClaim: 'sub' }));
      assert.equal(result.status, 'pass');
      assert.match(result.reason, /^sub is "alice"$/);
    });
    it('fails a missing, empty or non-string claim, naming --username-claim', () => {
      for (const value of [undefined, '', 42, ['alice']]) {
        const result = statusOf(
          'username claim',
          input({ usernameClaim: 'preferred_username' }, { preferred_username: value }),
        );
        assert.equal(result.status, 'fail', JSON.stringify(value));
        assert.match(result.reason, /--username-claim/);
      }
    });
  });

  describe('email_verified', () => {
    it('passes when true', () => {
      assert.equal(statusOf('email_verified', input()).status, 'pass');
    });
    it('fails when false', () => {
      const result = statusOf('email_verified', input({}, { email_verified: false }));
      assert.equal(result.status, 'fail');
      assert.match(result.reason, /false/);
    });
    it('passes when absent, which the API server allows', () => {
      const result = statusOf('email_verified', input({}, { email_verified: undefined }));
      assert.equal(result.status, 'pass');
      assert.match(result.reason, /absent/);
    });
    it('is not checked when the username claim is not email', () => {
      const results = runSetupChecks(input({ usernameClaim: 'sub' }, { email_verified: false }));
      assert.ok(!results.some((result) => result.name === 'email_verified'), JSON.stringify(results));
    });
  });

  describe('groups claim', () => {
    it('passes a list of strings, and an empty list', () => {
      assert.equal(statusOf('groups claim', input()).status, 'pass');
      assert.equal(statusOf('groups claim', input({}, { groups: [] })).status, 'pass');
    });
    it('passes a single string, saying it is a string', () => {
      const result = statusOf('groups claim', input({}, { groups: 'admins' }));
      assert.equal(result.status, 'pass');
      assert.match(result.reason, /string "admins"/);
    });
    it('warns when the claim is missing, naming it', () => {
      const result = statusOf('groups claim', input({ groupsClaim: 'roles' }));
      assert.equal(result.status, 'warn');
      assert.match(result.reason, /roles/);
    });
    it('fails a number, an object, a boolean and a list with a non-string', () => {
      for (const value of [42, { admin: true }, true, ['a', 1], [null]]) {
        const result = statusOf('groups claim', input({}, { groups: value }));
        assert.equal(result.status, 'fail', JSON.stringify(value));
        assert.match(result.reason, /string or a list of strings/);
      }
    });
    it('follows --groups-claim', () => {
      assert.equal(statusOf('groups claim', input({ groupsClaim: 'roles' }, { roles: 42 })).status, 'fail');
      assert.equal(statusOf('groups claim', input({ groupsClaim: 'roles' }, { roles: ['ops'] })).status, 'pass');
    });
  });

  describe('refresh token', () => {
    it('passes when one was received', () => {
      assert.equal(statusOf('refresh token', input()).status, 'pass');
    });
    it('warns when none was, suggesting offline_access', () => {
      const result = statusOf('refresh token', input({ refreshTokenReceived: false }));
      assert.equal(result.status, 'warn');
      assert.match(result.reason, /--oidc-extra-scope=offline_access/);
    });
  });

  describe('https issuer', () => {
    it('passes an https issuer', () => {
      assert.equal(statusOf('https issuer', input()).status, 'pass');
    });
    it('fails an http issuer, which the API server refuses', () => {
      const result = statusOf('https issuer', input({ issuerUrl: 'http://issuer.example' }));
      assert.equal(result.status, 'fail');
      assert.equal(
        result.reason,
        'http://issuer.example is not https: the API server refuses an issuer URL that is not https',
      );
    });
  });

  describe('renewal', () => {
    it('passes when a refresh returned a new ID token, saying whether the refresh token rotated', () => {
      const rotated = statusOf('renewal', input());
      assert.equal(rotated.status, 'pass');
      assert.match(rotated.reason, /new ID token and a new refresh token/);
      assert.doesNotMatch(
        statusOf('renewal', input({ renewal: { kind: 'renewed', rotated: false } })).reason,
        /refresh token/,
      );
    });
    it('fails when no ID token came back, naming the login interval and what avoids it', () => {
      const result = statusOf('renewal', input({ renewal: { kind: 'no-id-token' } }));
      assert.equal(result.status, 'fail');
      assert.match(
        result.reason,
        /browser login every 1h; --oidc-use-access-token avoids it when the API server accepts the access token, or set the provider/,
      );
    });
    it("fails a rejected refresh with the provider's error", () => {
      const result = statusOf(
        'renewal',
        input({ renewal: { kind: 'failed', reason: 'the token refresh at idp failed: invalid_grant' } }),
      );
      assert.equal(result.status, 'fail');
      assert.equal(result.reason, 'a refresh failed: the token refresh at idp failed: invalid_grant');
    });
    it('passes without a refresh token for a CI grant, saying get-token asks again each time', () => {
      const ci = input({ refreshTokenReceived: false, renewal: undefined, noRefreshByDesign: true });
      for (const name of ['refresh token', 'renewal']) {
        const result = statusOf(name, ci);
        assert.equal(result.status, 'pass');
        assert.match(result.reason, /this grant has no refresh token: get-token asks again each time$/);
      }
    });

    it('warns that it was not tried without a refresh token', () => {
      assert.equal(statusOf('renewal', input({ renewal: undefined })).status, 'warn');
    });
  });

  describe('lifetime', () => {
    it('passes an hour, showing it', () => {
      const result = statusOf('lifetime', input());
      assert.equal(result.status, 'pass');
      assert.equal(result.reason, '1h');
    });
    it('passes exactly one day', () => {
      assert.equal(statusOf('lifetime', input({}, { exp: NOW + 86_400 })).status, 'pass');
    });
    it('warns a second over a day, showing the lifetime', () => {
      const result = statusOf('lifetime', input({}, { exp: NOW + 86_401 }));
      assert.equal(result.status, 'warn');
      assert.match(result.reason, /^1d 1s: over a day/);
    });
    it('fails a token without exp or iat', () => {
      assert.equal(statusOf('lifetime', input({}, { exp: undefined })).status, 'fail');
      assert.equal(statusOf('lifetime', input({}, { iat: undefined })).status, 'fail');
      assert.equal(statusOf('lifetime', input({}, { exp: String(NOW + 60) })).status, 'fail');
    });
  });
});
