/**
 * Every endpoint of an https issuer must be https: a discovery document that
 * names a plain http jwks_uri (here a working mirror of the provider's keys)
 * or device authorization endpoint is refused before anything is fetched from
 * it, with an error naming the endpoint and its host.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertLoggedIn, assertOneLineError } from '../../support/cli-outcome.ts';
import { createCaSignedCertificate } from '../../support/provider/test-ca.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import { runCli } from '../../support/run-cli.ts';

/** Replaces discovery's `name` with what `value()` says, while it says anything. */
function discoveryNaming(name: string, value: () => string | undefined): Middleware {
  return async (ctx, next) => {
    await next();
    const replacement = value();
    if (ctx.method !== 'GET' || ctx.path !== '/.well-known/openid-configuration' || replacement === undefined) return;
    ctx.body = { ...(ctx.body as Record<string, unknown>), [name]: replacement };
  };
}

describe('an https issuer naming a plain http endpoint', () => {
  let fixture: CliFixture;
  let mirror: Server;
  let mirrorRequests = 0;
  let jwksUri: string | undefined;
  let deviceEndpoint: string | undefined;
  let caFile: string;

  before(async () => {
    const pki = await createCaSignedCertificate();
    fixture = await startCliFixture({
      tls: pki.server,
      middlewares: [
        discoveryNaming('jwks_uri', () => jwksUri),
        discoveryNaming('device_authorization_endpoint', () => deviceEndpoint),
      ],
    });
    caFile = join(fixture.home.home, 'ca.pem');
    await writeFile(caFile, pki.ca);
    // A plain http copy of the provider's JWKS: what a downgraded jwks_uri would serve.
    mirror = createServer((request, response) => {
      mirrorRequests += 1;
      get(`${fixture.provider.issuer}${request.url}`, { ca: pki.ca }, (upstream) => {
        response.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(response);
      });
    });
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    mirror.closeAllConnections();
    await new Promise((resolve) => mirror.close(resolve));
    await fixture.close();
  });

  const mirrorHost = () => `127.0.0.1:${(mirror.address() as AddressInfo).port}`;
  const login = () =>
    runCli(
      [
        ...fixture.args,
        '--grant-type=password',
        '--username=alice',
        `--password=${passwordOf('alice')}`,
        '--token-cache-storage=none',
        `--certificate-authority=${caFile}`,
      ],
      { env: { ...fixture.env, NODE_EXTRA_CA_CERTS: undefined } },
    );

  it('logs in while every endpoint is https', async () => {
    jwksUri = undefined;
    deviceEndpoint = undefined;
    assertLoggedIn(await login());
  });

  it('refuses an http jwks_uri, naming it and its host, and fetches nothing from it', async () => {
    jwksUri = `http://${mirrorHost()}/jwks`;
    deviceEndpoint = undefined;
    const issuerHost = new URL(fixture.provider.issuer).host;
    assertOneLineError(
      await login(),
      new RegExp(
        `^error: the provider at ${issuerHost.replaceAll('.', '\\.')} names its jwks_uri at ${mirrorHost().replaceAll('.', '\\.')} over http; every endpoint of an https issuer must be https$`,
      ),
    );
    assert.equal(mirrorRequests, 0);
  });

  it('refuses an http device authorization endpoint', async () => {
    jwksUri = undefined;
    deviceEndpoint = `http://${mirrorHost()}/device/auth`;
    assertOneLineError(
      await login(),
      /names its device_authorization_endpoint at 127\.0\.0\.1:\d+ over http; every endpoint of an https issuer must be https$/,
    );
  });
});
