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

  it('with --provide-cluster-info keeps the shared flags in the arguments and the issuer, client and audience for the cluster', () => {
    const options = toSetupOptions(
      {
        ...REQUIRED,
        oidcClientSecret: 'client-secret',
        oidcExtraScope: ['email'],
        exchangeAudience: 'prod',
        provideClusterInfo: true,
        cluster: 'prod',
      },
      ENV,
      () => undefined,
    );
    assert.deepEqual(options.execArgs, ['get-token', '--oidc-extra-scope=email']);
    assert.deepEqual(options.clusterSettings, {
      cluster: 'prod',
      settings: {
        'oidc-issuer-url': 'https://issuer.example.com',
        'oidc-client-id': 'kubernetes',
        'oidc-client-secret': 'client-secret',
        'exchange-audience': 'prod',
      },
    });
    assert.equal(toSetupOptions(REQUIRED, ENV, () => undefined).clusterSettings, undefined);
  });

  it('--provide-cluster-info needs --cluster, which then needs no --context', () => {
    assert.throws(
      () => toSetupOptions({ ...REQUIRED, provideClusterInfo: true }, ENV, () => undefined),
      /^UsageError: --provide-cluster-info needs --cluster/,
    );
    const options = toSetupOptions(
      { ...REQUIRED, provideClusterInfo: true, cluster: 'prod', writeKubeconfig: true },
      ENV,
      () => undefined,
    );
    assert.equal(options.write?.context, undefined);
    assert.equal(options.write?.cluster, 'prod');
  });
});
