/**
 * --local-server-cert and --local-server-key: the loopback server speaks HTTPS
 * with a certificate generated here, the default redirect URI says https, and
 * a provider that matches redirect URIs exactly accepts it in both requests.
 * The HTTP login driver trusts the certificate through NODE_EXTRA_CA_CERTS,
 * which it inherits from the CLI.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertLoggedIn } from '../../support/cli-outcome.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';
import { getFreePort, TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { runCli } from '../../support/run-cli.ts';

describe('an HTTPS loopback server', () => {
  let fixture: CliFixture;
  let port: number;
  let certFile: string;
  let keyFile: string;
  before(async () => {
    port = await getFreePort();
    fixture = await startCliFixture({ exactRedirectUris: [`https://localhost:${port}`] });
    const certificate = await createSelfSignedCertificate();
    certFile = join(fixture.home.home, 'loopback.pem');
    keyFile = join(fixture.home.home, 'loopback-key.pem');
    await writeFile(certFile, certificate.cert);
    await writeFile(keyFile, certificate.key);
  });
  after(() => fixture.close());

  it('serves the login over https and sends redirect_uri https://localhost:<port> byte for byte', async () => {
    const args = [
      ...fixture.args.filter((arg) => !arg.startsWith('--listen-address=') && !arg.startsWith('--oidc-client-id=')),
      `--oidc-client-id=${TEST_CLIENTS.exactWeb}`,
      `--oidc-client-secret=${TEST_CLIENTS.exactWebSecret}`,
      `--listen-address=127.0.0.1:${port}`,
      `--local-server-cert=${certFile}`,
      `--local-server-key=${keyFile}`,
    ];
    const result = await runCli(args, { env: { ...fixture.env, NODE_EXTRA_CA_CERTS: certFile } });
    assertLoggedIn(result);
    assert.equal(fixture.provider.counts.codeExchanges, 1, fixture.provider.errors.join('\n'));
    const opened = (await readFile(fixture.env['LOGIN_LOG'] as string, 'utf8')).trim();
    assert.equal(opened, `https://localhost:${port}/`, 'the browser was sent to the https loopback root');
    const authorization = fixture.provider.requests.find((request) => request.url.startsWith('/auth?'));
    assert.equal(
      new URL(authorization?.url ?? '', fixture.provider.issuer).searchParams.get('redirect_uri'),
      `https://localhost:${port}`,
    );
  });
});
