/**
 * The process's own TLS trust: NODE_EXTRA_CA_CERTS, which Node (and Bun) read
 * when the process starts, is trusted for the provider when no CA flag is
 * given, and the CA flags replace it with the other roots. Every run uses the
 * password grant, so discovery, the token request and the JWKS all go over
 * TLS. (The CA flags themselves are in test/scenarios/provider/tls.test.ts.)
 */
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertLoggedIn, assertOneLineError } from '../support/cli-outcome.ts';
import { createCaSignedCertificate } from '../support/provider/test-ca.ts';
import { passwordOf } from '../support/provider/test-provider.ts';
import { worldForAll } from '../support/world.ts';

/** The provider's CA and another one, as files in the world's HOME. */
const CA_FILE = 'ca.pem';
const OTHER_CA_FILE = 'other-ca.pem';

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
    world().getToken(
      [
        '--grant-type=password',
        '--username=alice',
        `--password=${passwordOf('alice')}`,
        '--token-cache-storage=none',
        ...extra,
      ],
      { env: { NODE_EXTRA_CA_CERTS: extraCaCerts } },
    );

  it('is trusted when no CA flag is given', async () => {
    assertLoggedIn(await login([], homeFile(CA_FILE)));
    assertOneLineError(
      await login([], undefined),
      /cannot verify the TLS certificate of the OIDC provider at 127\.0\.0\.1:\d+ \(OIDC discovery\): unable to verify the first certificate/,
    );
  });

  it('is replaced, with the other roots, by the CA flags', async () => {
    assertOneLineError(
      await login([`--certificate-authority=${homeFile(OTHER_CA_FILE)}`], homeFile(CA_FILE)),
      /cannot verify the TLS certificate of the OIDC provider at 127\.0\.0\.1:\d+ \(OIDC discovery\): unable to verify the first certificate/,
    );
  });
});
