/**
 * Every endpoint of an https issuer must be https: a discovery document that
 * names a plain http jwks_uri (here a working mirror of the provider's keys)
 * or device authorization endpoint is refused before anything is fetched from
 * it, with an error naming the endpoint and its host; so is an http endpoint
 * given by --oidc-device-authorization-endpoint, naming the flag.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { get } from 'node:https';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { assertLoggedIn, assertOneLineError } from '../../support/cli-outcome.ts';
import { PASSWORD_LOGIN_FLAGS } from '../../support/get-token-args.ts';
import { closeServer, listenOnLoopback } from '../../support/provider/loopback-server.ts';
import { createCaSignedCertificate } from '../../support/provider/test-ca.ts';
import { serverForAll } from '../../support/server-for-all.ts';
import { worldForAll } from '../../support/world.ts';

/** Replaces discovery's `name` with what `value()` says, while it says anything. */
function discoveryNaming(name: string, value: () => string | undefined): Middleware {
  return async (ctx, next) => {
    await next();
    const replacement = value();
    if (ctx.method !== 'GET' || ctx.path !== '/.well-known/openid-configuration' || replacement === undefined) return;
    ctx.body = { ...(ctx.body as Record<string, unknown>), [name]: replacement };
  };
}

/** A plain http server that copies every request's answer from `upstream` (trusting `ca`), counting the requests. */
async function startHttpMirror(
  upstream: () => string,
  ca: string,
): Promise<{ host: string; requests(): number; close(): Promise<void> }> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    get(`${upstream()}${request.url}`, { ca }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
  });
  const port = await listenOnLoopback(server);
  return { host: `127.0.0.1:${port}`, requests: () => requests, close: () => closeServer(server) };
}

/** The provider's CA, as a file in the world's HOME. */
const CA_FILE = 'ca.pem';

const pki = await createCaSignedCertificate();

describe('an https issuer naming a plain http endpoint', () => {
  let jwksUri: string | undefined;
  let deviceEndpoint: string | undefined;
  const world = worldForAll({
    provider: {
      tls: pki.server,
      middlewares: [
        discoveryNaming('jwks_uri', () => jwksUri),
        discoveryNaming('device_authorization_endpoint', () => deviceEndpoint),
      ],
    },
    homeFiles: { [CA_FILE]: pki.ca },
  });
  // A plain http copy of the provider's JWKS: what a downgraded jwks_uri would serve.
  const mirror = serverForAll(() => startHttpMirror(() => world().provider.issuer, pki.ca));

  const mirrorHost = () => mirror().host;
  const login = (extra: readonly string[] = []) =>
    world().getToken([
      ...PASSWORD_LOGIN_FLAGS,
      `--certificate-authority=${join(world().home.home, CA_FILE)}`,
      ...extra,
    ]);

  it('logs in while every endpoint is https', async () => {
    jwksUri = undefined;
    deviceEndpoint = undefined;
    assertLoggedIn(await login());
  });

  it('refuses an http jwks_uri, naming it and its host, and fetches nothing from it', async () => {
    jwksUri = `http://${mirrorHost()}/jwks`;
    deviceEndpoint = undefined;
    const issuerHost = new URL(world().provider.issuer).host;
    assertOneLineError(
      await login(),
      new RegExp(
        `^error: the provider at ${issuerHost.replaceAll('.', '\\.')} names its jwks_uri at ${mirrorHost().replaceAll('.', '\\.')} over http; every endpoint of an https issuer must be https$`,
      ),
    );
    assert.equal(mirror().requests(), 0);
  });

  it('refuses an http --oidc-device-authorization-endpoint, naming the flag, and sends nothing to it', async () => {
    jwksUri = undefined;
    deviceEndpoint = undefined;
    const issuerHost = new URL(world().provider.issuer).host;
    assertOneLineError(
      await login([`--oidc-device-authorization-endpoint=http://${mirrorHost()}/device/auth`]),
      new RegExp(
        `^error: --oidc-device-authorization-endpoint names ${mirrorHost().replaceAll('.', '\\.')} over http, but the issuer ${issuerHost.replaceAll('.', '\\.')} is https; every endpoint of an https issuer must be https$`,
      ),
    );
    assert.equal(mirror().requests(), 0);
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
