import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED, Redactor } from '../../../src/io/redact.ts';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl';

describe('Redactor', () => {
  it('replaces every occurrence of a registered secret', () => {
    const redactor = new Redactor();
    redactor.add('hunter22');
    assert.equal(
      redactor.redact('password hunter22 and again hunter22!'),
      `password ${REDACTED} and again ${REDACTED}!`,
    );
  });

  it('registers several values at once and ignores undefined', () => {
    const redactor = new Redactor();
    redactor.add('client-secret-1', undefined, 'refresh-token-2');
    assert.equal(redactor.redact('a client-secret-1 b refresh-token-2 c'), `a ${REDACTED} b ${REDACTED} c`);
  });

  it('does not register secrets shorter than 4 characters', () => {
    const redactor = new Redactor();
    redactor.add('abc', '', 'x');
    assert.equal(redactor.redact('abc x tabcat'), 'abc x tabcat');
  });

  it('registers a secret of exactly 4 characters', () => {
    const redactor = new Redactor();
    redactor.add('s3cr');
    assert.equal(redactor.redact('value s3cr'), `value ${REDACTED}`);
  });

  it('replaces JWT-looking strings without registration', () => {
    const redactor = new Redactor();
    assert.equal(redactor.redact(`token ${JWT} end`), `token ${REDACTED} end`);
    assert.equal(redactor.redact(`Bearer ${JWT}`), `Bearer ${REDACTED}`);
  });

  it('replaces five-part JWE-looking strings', () => {
    const jwe = 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn';
    assert.equal(new Redactor().redact(`jwe ${jwe}`), `jwe ${REDACTED}`);
  });

  it('replaces secret query and form values', () => {
    const redactor = new Redactor();
    for (const name of [
      'code',
      'refresh_token',
      'client_secret',
      'password',
      'code_verifier',
      'access_token',
      'id_token',
      'device_code',
    ]) {
      const text = `grant_type=x&${name}=SECRET-VALUE-42&other=1`;
      assert.equal(redactor.redact(text), `grant_type=x&${name}=${REDACTED}&other=1`, name);
    }
  });

  it('redacts the code of a callback URL but keeps its state, so the URL can still be opened', () => {
    const url = 'http://localhost:8000/?code=AUTH-CODE-123&state=STATE-456';
    assert.equal(new Redactor().redact(url), `http://localhost:8000/?code=${REDACTED}&state=STATE-456`);
  });

  it('keeps the state, client_id and code_challenge of an authorization URL', () => {
    const url =
      'https://issuer.example.com/auth?response_type=code&client_id=kubernetes&state=abc123state&code_challenge=xyz789challenge&code_challenge_method=S256';
    assert.equal(new Redactor().redact(url), url);
  });

  it('leaves text without secrets unchanged', () => {
    const text = 'discovered the provider https://issuer.example.com; listening on port 8000';
    assert.equal(new Redactor().redact(text), text);
  });
});
