/**
 * --grant-type=token-exchange (RFC 8693): a CI token, GitHub Actions' or one
 * in a file, exchanged at the provider for the provider's own token, which is
 * verified and cached like any other; refusals in the provider's words.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { CI_JOB_CLAIMS, CI_REQUEST_TOKEN } from '../../support/ci/ci-token-service.ts';
import { exchangeOnlyClient } from '../../support/provider/exchange-clients.ts';
import { createSelfSignedCertificate } from '../../support/provider/self-signed-certificate.ts';
import { TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { parseExecCredential } from '../../support/run-cli.ts';
import { worldForAll } from '../../support/world.ts';

/** A client allowed to exchange, and one whose audience the provider refuses to issue for. */
const EXCHANGER = { id: 'exchanger', secret: 'exchanger-secret' };
const REFUSED = { id: 'exchanger-refused', secret: 'refused-secret' };
const UNAUTHORIZED = { id: 'exchanger-unauthorized', secret: 'unauthorized-secret' };
/** A job's environment without the variables of GitHub's token service. */
const OUTSIDE_GITHUB = { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined };

describe('--grant-type=token-exchange', () => {
  // The world's provider trusts the tokens of its CI token service.
  const world = worldForAll({
    ci: true,
    provider: {
      clients: [exchangeOnlyClient(EXCHANGER), exchangeOnlyClient(REFUSED), exchangeOnlyClient(UNAUTHORIZED)],
      tokenExchange: { trustedIssuers: [], refusedAudiences: [REFUSED.id], unauthorizedClients: [UNAUTHORIZED.id] },
    },
  });

  const args = (source: string, client = EXCHANGER, cache = 'token-cache') => [
    'get-token',
    '--grant-type=token-exchange',
    `--subject-token-source=${source}`,
    `--oidc-issuer-url=${world().provider.issuer}`,
    `--oidc-client-id=${client.id}`,
    `--oidc-client-secret=${client.secret}`,
    `--token-cache-dir=${join(world().home.home, cache)}`,
  ];
  /** Runs in the world's environment, which holds the job's variables, with `env` on top. */
  const run = (runArgs: string[], env: NodeJS.ProcessEnv = {}) => world().run(runArgs, { env });

  function assertError(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stderr, /^\s+at /m);
    assert.ok(!result.stderr.includes(CI_REQUEST_TOKEN) && !result.stderr.includes('eyJ'), 'no token in the message');
  }

  it('exchanges the GitHub Actions token for an ID token of the provider, verified and cached', async () => {
    const { ci, provider } = world();
    const first = await run(args('github-actions'));
    assert.equal(first.code, 0, `${first.stderr}\n${provider.errors.join('\n')}`);
    assert.equal(first.stderr, '');
    const token = parseExecCredential(first.stdout).status.token;
    const claims = decodeJwt(token);
    assert.equal(claims.iss, provider.issuer);
    assert.equal(claims.aud, EXCHANGER.id);
    assert.equal(claims.sub, CI_JOB_CLAIMS.sub);
    assert.deepEqual(ci.audiencesIssued, [EXCHANGER.id], 'the CI token was asked for the client ID as audience');

    const again = await run(args('github-actions'));
    assert.equal(parseExecCredential(again.stdout).status.token, token, 'answered from the cache');
    assert.deepEqual(provider.exchangedAudiences, [EXCHANGER.id]);
  });

  it("asks GitHub's token service without the provider's request headers, which go to the provider", async () => {
    const { ci, provider } = world();
    const header = 'X-Company-Key=company-header-value';
    const result = await run([...args('github-actions', EXCHANGER, 'headers'), `--oidc-request-header=${header}`]);
    assert.equal(result.code, 0, `${result.stderr}\n${provider.errors.join('\n')}`);
    assert.equal(ci.headers.at(-1)?.['x-company-key'], undefined, 'the token service got the header');
    const exchange = provider.requests
      .filter((request) => request.method === 'POST' && request.url === '/token')
      .at(-1);
    assert.equal(exchange?.headers['x-company-key'], 'company-header-value');
  });

  it('exchanges a token read from a file', async () => {
    const { ci, home, provider } = world();
    const file = join(home.home, 'ci-token');
    await writeFile(file, await ci.mint(EXCHANGER.id, { sub: 'project_path:group/project:ref_type:branch:ref:main' }));
    const result = await run(args(`file:${file}`), OUTSIDE_GITHUB);
    assert.equal(result.code, 0, `${result.stderr}\n${provider.errors.join('\n')}`);
    assert.equal(
      decodeJwt(parseExecCredential(result.stdout).status.token).sub,
      'project_path:group/project:ref_type:branch:ref:main',
    );
  });

  it("names the provider's answer when it refuses: invalid_target, unauthorized_client, invalid_grant", async () => {
    const { ci, home } = world();
    assertError(
      await run(args('github-actions', REFUSED)),
      /^error: the token exchange at 127\.0\.0\.1:\d+ failed: invalid_target/m,
    );
    assertError(
      await run(args('github-actions', UNAUTHORIZED)),
      /^error: the token exchange at 127\.0\.0\.1:\d+ failed: unauthorized_client/m,
    );
    const confidential = { id: TEST_CLIENTS.confidential, secret: TEST_CLIENTS.confidentialSecret };
    assertError(
      await run(args('github-actions', confidential)),
      /^error: the token exchange at 127\.0\.0\.1:\d+ failed: invalid_request: requested grant type is not allowed for this client$/m,
    );
    const foreign = join(home.home, 'foreign-token');
    await writeFile(foreign, await ci.mintWithForeignKey(EXCHANGER.id));
    assertError(
      await run(args(`file:${foreign}`), OUTSIDE_GITHUB),
      /^error: the token exchange at 127\.0\.0\.1:\d+ failed: invalid_grant/m,
    );
  });

  it('checks its flags', async () => {
    assertError(
      await run(args('somewhere'), OUTSIDE_GITHUB),
      /^error: --subject-token-source takes github-actions or file:<path>, got "somewhere"$/m,
    );
    assertError(
      await run(args('file:/nonexistent/ci-token'), OUTSIDE_GITHUB),
      /^error: --subject-token-source \/nonexistent\/ci-token: cannot read it \(no such file\)$/m,
    );
    assertError(
      await run(args('github-actions', EXCHANGER, 'missing-env'), OUTSIDE_GITHUB),
      /^error: ACTIONS_ID_TOKEN_REQUEST_URL is not set/m,
    );
  });
});

/** The token service's own certificate: no CA anyone trusts. */
const certificate = await createSelfSignedCertificate();

describe("--grant-type=token-exchange with GitHub's token service over TLS", () => {
  const world = worldForAll({
    ci: { tls: certificate },
    provider: { clients: [exchangeOnlyClient(EXCHANGER)], tokenExchange: { trustedIssuers: [] } },
  });

  it("verifies the token service with the system's trust: --insecure-skip-tls-verify is the provider's", async () => {
    const result = await world().run([
      'get-token',
      '--grant-type=token-exchange',
      '--subject-token-source=github-actions',
      `--oidc-issuer-url=${world().provider.issuer}`,
      `--oidc-client-id=${EXCHANGER.id}`,
      `--oidc-client-secret=${EXCHANGER.secret}`,
      '--insecure-skip-tls-verify',
      '--token-cache-storage=none',
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: cannot verify the TLS certificate of the GitHub Actions token service at 127\.0\.0\.1:\d+ \(the GitHub Actions ID token request\): self-signed certificate; the system's trust \(SSL_CERT_FILE, NODE_EXTRA_CA_CERTS\) must hold its CA; the CA flags are the provider's$/m,
    );
    assert.deepEqual(world().ci.audiencesIssued, [], 'the token service answered over an unverified connection');
  });
});
