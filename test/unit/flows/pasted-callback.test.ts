/**
 * What a paste at the browser login's prompt amounts to: the URL the browser was redirected to is
 * checked as a callback is (this login's state only), a bare code is taken as it is, anything else
 * is a problem that never repeats the paste.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError } from '../../../src/core/errors.ts';
import { readPaste } from '../../../src/flows/pasted-callback.ts';

const STATE = 'this-logins-state';
const CODE = 'Kx9_abc-DEF.ghi~jkl';

describe('readPaste', () => {
  it('takes the code of a redirected URL with this login state, http or https, any host and path', () => {
    for (const url of [
      `http://localhost:8000/?code=${CODE}&state=${STATE}`,
      `https://127.0.0.1:18000/callback?state=${STATE}&code=${CODE}#fragment`,
      `  http://localhost:8000?code=${CODE}&state=${STATE}&iss=https%3A%2F%2Fissuer  `,
    ]) {
      assert.deepEqual(readPaste(url, STATE), { code: CODE }, url);
    }
  });

  it('takes the query alone, as copied without the address', () => {
    assert.deepEqual(readPaste(`localhost:8000/?code=${CODE}&state=${STATE}`, STATE), { code: CODE });
    assert.deepEqual(readPaste(`?code=${CODE}&state=${STATE}`, STATE), { code: CODE });
  });

  it('takes a bare code as it is', () => {
    assert.deepEqual(readPaste(CODE, STATE), { code: CODE });
    assert.deepEqual(readPaste('4/0AeaYSHBx-zK', STATE), { code: '4/0AeaYSHBx-zK' });
  });

  it("refuses a URL without this login's state, or without a code, never repeating the paste", () => {
    const cases: [string, RegExp][] = [
      [`http://localhost:8000/?code=${CODE}&state=another`, /not this login's \(its state differs\)/],
      [`http://localhost:8000/?code=${CODE}`, /has no state/],
      [`http://localhost:8000/?state=${STATE}`, /carries no code/],
    ];
    for (const [paste, problem] of cases) {
      const verdict = readPaste(paste, STATE);
      assert.ok('problem' in verdict, paste);
      assert.match(verdict.problem, problem);
      assert.ok(!verdict.problem.includes(CODE));
    }
  });

  it("ends the login with the provider's error only for this login's state", () => {
    const verdict = readPaste(
      `http://localhost:8000/?error=access_denied&error_description=User+cancelled&state=${STATE}`,
      STATE,
    );
    assert.ok('refusal' in verdict);
    assert.ok(verdict.refusal instanceof AuthError);
    assert.equal(verdict.refusal.message, 'the provider returned access_denied: User cancelled');
    assert.equal(verdict.refusal.oauthError, 'access_denied');
    assert.ok('problem' in readPaste('http://localhost:8000/?error=access_denied&state=another', STATE));
  });

  it('refuses what is neither a code nor a URL', () => {
    for (const paste of ['two words', 'ünïcode']) {
      assert.deepEqual(readPaste(paste, STATE), {
        problem: 'That is neither an authorization code nor the URL the browser was sent to.',
      });
    }
  });
});
