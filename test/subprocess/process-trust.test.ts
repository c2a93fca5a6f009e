/**
 * The process's own TLS trust: NODE_EXTRA_CA_CERTS, which Node (and Bun) read
 * when the process starts, and SSL_CERT_FILE and SSL_CERT_DIR, which Go (and
 * so kubectl) reads on Linux, are trusted for the provider when no CA flag is
 * given, added to the roots; the CA flags replace them all. Every run uses
 * the password grant, so discovery, the token request and the JWKS all go
 * over TLS. whoami trusts them for a cluster without a CA of its own, as
 * kubectl does. (The CA flags themselves are in
 * test/scenarios/provider/tls.test.ts.) Processes, because the runtimes read
 * some of these variables at start-up, and the two builds must agree.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertLoggedIn, assertOneLineError } from '../support/cli-outcome.ts';
import { kubeconfigDocument } from '../support/cluster/kubeconfig.ts';
import { PASSWORD_LOGIN_FLAGS } from '../support/get-token-args.ts';
import { createCaSignedCertificate } from '../support/provider/test-ca.ts';
import { WORLD_CONTEXT, worldForAll } from '../support/world.ts';

/** The provider's CA and another one, as files in the world's HOME. */
const CA_FILE = 'ca.pem';
const OTHER_CA_FILE = 'other-ca.pem';

/** What a run says when nothing it trusts signed the provider's certificate. */
const UNTRUSTED =
  /cannot verify the TLS certificate of the OIDC provider at 127\.0\.0\.1:\d+ \(OIDC discovery\): unable to verify the first certificate/;

const pki = await createCaSignedCertificate();
const otherCa = (await createCaSignedCertificate()).ca;

describe('NODE_EXTRA_CA_CERTS', () => {
  const world = worldForAll({
    provider: { tls: pki.server },
    homeFiles: { [CA_FILE]: pki.ca, [OTHER_CA_FILE]: otherCa },
    runner: 'subprocess',
  });
  const homeFile = (name: string) => join(world().home.home, name);

  /** get-token with the password grant and no cache, plus `extra`, the process started with `extraCaCerts` (or without it). */
  const login = (extra: string[], extraCaCerts: string | undefined) =>
    world().getToken([...PASSWORD_LOGIN_FLAGS, ...extra], { env: { NODE_EXTRA_CA_CERTS: extraCaCerts } });

  it('is trusted when no CA flag is given', async () => {
    assertLoggedIn(await login([], homeFile(CA_FILE)));
    assertOneLineError(await login([], undefined), UNTRUSTED);
  });

  it('is replaced, with the other roots, by the CA flags', async () => {
    assertOneLineError(
      await login([`--certificate-authority=${homeFile(OTHER_CA_FILE)}`], homeFile(CA_FILE)),
      UNTRUSTED,
    );
  });
});

describe('SSL_CERT_FILE and SSL_CERT_DIR', () => {
  const world = worldForAll({
    provider: { tls: pki.server },
    homeFiles: { [CA_FILE]: pki.ca, [OTHER_CA_FILE]: otherCa },
    runner: 'subprocess',
  });
  const homeFile = (name: string) => join(world().home.home, name);
  /** The process's trust: these variables, and no NODE_EXTRA_CA_CERTS unless given. */
  const trust = (env: NodeJS.ProcessEnv) => ({ env: { NODE_EXTRA_CA_CERTS: undefined, ...env } });
  const login = (extra: string[], env: NodeJS.ProcessEnv) =>
    world().getToken([...PASSWORD_LOGIN_FLAGS, ...extra], trust(env));

  it("are trusted for the provider when no CA flag is given: SSL_CERT_DIR's files by any name", async () => {
    assertLoggedIn(await login([], { SSL_CERT_FILE: homeFile(CA_FILE) }));
    const directory = homeFile('certs');
    await mkdir(directory);
    await writeFile(join(directory, 'company-root.crt'), pki.ca);
    assertLoggedIn(await login([], { SSL_CERT_DIR: `${homeFile('empty-or-missing')}:${directory}` }));
  });

  it('are added to the trust, not put in its place: NODE_EXTRA_CA_CERTS still counts', async () => {
    assertLoggedIn(await login([], { SSL_CERT_FILE: homeFile(OTHER_CA_FILE), NODE_EXTRA_CA_CERTS: homeFile(CA_FILE) }));
  });

  it('are replaced by the CA flags', async () => {
    assertOneLineError(
      await login([`--certificate-authority=${homeFile(OTHER_CA_FILE)}`], { SSL_CERT_FILE: homeFile(CA_FILE) }),
      UNTRUSTED,
    );
  });
});

describe('SSL_CERT_FILE for whoami', () => {
  const world = worldForAll({ apiServer: {}, runner: 'subprocess' });

  it('is trusted by whoami for a cluster whose kubeconfig names no CA, as kubectl', async () => {
    const { apiServer } = world();
    const caFile = join(world().home.home, 'api-server-ca.pem');
    await writeFile(caFile, apiServer.ca);
    const document = kubeconfigDocument({
      server: apiServer.url,
      certificateAuthorityData: '',
      execApiVersion: 'client.authentication.k8s.io/v1',
      command: 'kubelogin',
      args: world().args,
    }) as { clusters: Array<{ cluster: Record<string, unknown> }> };
    for (const { cluster } of document.clusters) delete cluster['certificate-authority-data'];
    const kubeconfig = join(world().home.home, 'kubeconfig-without-ca');
    await writeFile(kubeconfig, JSON.stringify(document), { mode: 0o600 });
    const env = { SSL_CERT_FILE: caFile, NODE_EXTRA_CA_CERTS: undefined };
    const result = await world().run(['whoami', `--kubeconfig=${kubeconfig}`, '--login', '-o', 'json'], { env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { context: string }).context, WORLD_CONTEXT);
  });
});
