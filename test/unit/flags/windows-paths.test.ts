/**
 * Every path flag takes `~\` on Windows (Deps.platform win32), as the Go kubelogin's users write
 * it: none of them may create a folder named `~`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deps } from '../../../src/deps.ts';
import { toConvertOptions } from '../../../src/flags/convert-options.ts';
import { toGetTokenOptions } from '../../../src/flags/login-options.ts';
import { toLogoutOptions } from '../../../src/flags/logout-options.ts';
import { toSetupOptions } from '../../../src/flags/setup-options.ts';
import { toWhoamiOptions } from '../../../src/flags/whoami-options.ts';
import { testDeps } from '../../support/in-process/test-deps.ts';

const WINDOWS: Deps = testDeps({ platform: 'win32', uid: undefined, env: { USERPROFILE: 'C:\\Users\\alice' } }).deps;
const REQUIRED = { oidcIssuerUrl: 'https://issuer.example.com', oidcClientId: 'kubernetes' };
const ignore = (): void => undefined;
/** `~\<name>` expanded under the profile. */
const inProfile = (name: string) => `C:\\Users\\alice\\${name}`;

describe('path flags on Windows', () => {
  it("expand ~\\ in get-token's files and directories", () => {
    const options = toGetTokenOptions(
      {
        ...REQUIRED,
        tokenCacheDir: '~\\tokens',
        certificateAuthority: ['~\\ca.pem'],
        localServerCert: '~\\tls.crt',
        localServerKey: '~\\tls.key',
      },
      WINDOWS,
      ignore,
    );
    assert.deepEqual(options.cache, { storage: 'disk', dir: inProfile('tokens') });
    assert.deepEqual(options.provider.certificateAuthorities, [inProfile('ca.pem')]);
    assert.deepEqual(options.browser.localServerTls, { certFile: inProfile('tls.crt'), keyFile: inProfile('tls.key') });
  });

  it('expand ~\\ in the token files of the CI grants', () => {
    const tokenFile = toGetTokenOptions({ grantType: 'token-file', tokenFile: '~\\ci\\token' }, WINDOWS, ignore);
    assert.deepEqual(tokenFile.grant, { type: 'token-file', tokenFile: inProfile('ci\\token') });
    const exchange = toGetTokenOptions(
      { ...REQUIRED, grantType: 'token-exchange', subjectTokenSource: 'file:~\\ci\\token' },
      WINDOWS,
      ignore,
    );
    assert.deepEqual(exchange.grant.type === 'token-exchange' && exchange.grant.subjectToken.source, {
      kind: 'file',
      path: inProfile('ci\\token'),
    });
  });

  it('expand ~\\ in --kubeconfig, the cache directory and the CAs of the other commands', () => {
    assert.equal(
      toSetupOptions({ ...REQUIRED, writeKubeconfig: true, kubeconfig: '~\\kc' }, WINDOWS, ignore).write?.kubeconfig,
      inProfile('kc'),
    );
    assert.equal(toWhoamiOptions({ kubeconfig: '~\\kc' }, WINDOWS, () => undefined).kubeconfig, inProfile('kc'));
    assert.equal(toConvertOptions({ kubeconfig: '~\\kc' }, WINDOWS, ignore).kubeconfig, inProfile('kc'));
    const logout = toLogoutOptions(
      { all: true, tokenCacheDir: '~\\tokens', certificateAuthority: ['~\\ca.pem'] },
      WINDOWS,
      ignore,
    );
    assert.deepEqual(logout.cache, { storage: 'disk', dir: inProfile('tokens') });
    assert.deepEqual(logout.transport.certificateAuthorities, [inProfile('ca.pem')]);
  });
});
