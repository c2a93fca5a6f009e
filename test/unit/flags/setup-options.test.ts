/**
 * setup's flags: what is mirrored into the kubeconfig and where it is written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PathEnvironment } from '../../../src/core/paths.ts';
import { toSetupOptions } from '../../../src/flags/setup-options.ts';

const ENV: PathEnvironment = { env: { HOME: '/home/tester' }, platform: 'linux' };
const REQUIRED = { oidcIssuerUrl: 'https://issuer.example.com', oidcClientId: 'kubernetes' };

describe('toSetupOptions', () => {
  it("mirrors today's flags for deprecated ones, so kubectl runs print no deprecation warning", () => {
    const options = toSetupOptions(
      {
        ...REQUIRED,
        listenPort: [8000, 18000],
        oidcRedirectUrlAuthcodeKeyboard: 'urn:ietf:wg:oauth:2.0:oob',
        grantType: 'authcode-keyboard',
      },
      ENV,
      () => undefined,
    );
    assert.deepEqual(options.execArgs, [
      'get-token',
      '--oidc-issuer-url=https://issuer.example.com',
      '--oidc-client-id=kubernetes',
      '--oidc-redirect-url=urn:ietf:wg:oauth:2.0:oob',
      '--grant-type=authcode-keyboard',
      '--listen-address=127.0.0.1:8000',
      '--listen-address=127.0.0.1:18000',
    ]);
  });

  it('never mirrors a password', () => {
    const options = toSetupOptions(
      { ...REQUIRED, grantType: 'password', username: 'alice', password: 'secret-password' },
      ENV,
      () => undefined,
    );
    assert.ok(!options.execArgs.some((arg) => arg.includes('secret-password')));
    assert.ok(options.execArgs.includes('--username=alice'));
  });

  it('expands ~ in --kubeconfig', () => {
    const options = toSetupOptions(
      { ...REQUIRED, writeKubeconfig: true, kubeconfig: '~/.kube/other' },
      ENV,
      () => undefined,
    );
    assert.equal(options.write?.kubeconfig, '/home/tester/.kube/other');
  });
});
