/**
 * --grant-type=token-file: a JWT someone else keeps fresh in a file (a
 * projected service account token, a CI job's ID token) handed to kubectl,
 * read on every run, verified against --oidc-issuer-url when given.
 */
import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseExecCredential } from '../../support/run-cli.ts';
import { unsignedJwt } from '../../support/unsigned-jwt.ts';
import { worldForAll } from '../../support/world.ts';

/** The audience the cluster expects of the file's token. */
const AUDIENCE = 'kubernetes';

describe('--grant-type=token-file', () => {
  const world = worldForAll({ provider: false, ci: true });
  const tokenFileOf = () => join(world().home.home, 'token');

  const run = (extra: string[]) =>
    world().run([
      'get-token',
      '--grant-type=token-file',
      `--token-file=${tokenFileOf()}`,
      `--token-cache-dir=${world().cacheDir}`,
      ...extra,
    ]);
  const verifiedArgs = () => [`--oidc-issuer-url=${world().ci.issuer}`, `--oidc-client-id=${AUDIENCE}`];

  /** Asserts a one-line error with nothing on stdout, and no token in the output. */
  function assertError(
    result: { code: number | null; stdout: string; stderr: string },
    pattern: RegExp,
    token?: string,
  ): void {
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, pattern);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack');
    if (token) assert.ok(!result.stderr.includes(token), 'the token is not in the message');
  }

  it("hands the file's token to kubectl with its exp less the margin, reading the file on every run and writing nothing", async () => {
    const now = Math.floor(Date.now() / 1000);
    const first = unsignedJwt({ iss: 'https://kubernetes.default.svc', aud: AUDIENCE, iat: now, exp: now + 3600 });
    await writeFile(tokenFileOf(), `${first}\n`);
    const result = await run([]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    const credential = parseExecCredential(result.stdout);
    assert.equal(credential.status.token, first);
    assert.equal(
      credential.status.expirationTimestamp,
      new Date((now + 3600 - 60) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );

    const second = unsignedJwt({ aud: AUDIENCE, iat: now, exp: now + 7200 });
    await writeFile(tokenFileOf(), second);
    assert.equal(
      parseExecCredential((await run([])).stdout).status.token,
      second,
      'the file is read again: it is the cache',
    );
    assert.deepEqual(await readdir(world().cacheDir).catch(() => []), [], 'nothing is written, not even a lock');
  });

  it('verifies signature, issuer and audience through discovery and JWKS when --oidc-issuer-url is given', async () => {
    const token = await world().ci.mint(AUDIENCE);
    await writeFile(tokenFileOf(), token);
    const result = await run(verifiedArgs());
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseExecCredential(result.stdout).status.token, token);
  });

  it('refuses a token for another audience', async () => {
    const token = await world().ci.mint('another-cluster');
    await writeFile(tokenFileOf(), token);
    assertError(
      await run(verifiedArgs()),
      /^error: the token in --token-file \S+ from http:\/\/127\.0\.0\.1:\d+ failed verification: .*aud/m,
      token,
    );
  });

  it('refuses a token signed by a key the issuer does not publish', async () => {
    const token = await world().ci.mintWithForeignKey(AUDIENCE);
    await writeFile(tokenFileOf(), token);
    assertError(
      await run(verifiedArgs()),
      /^error: the token in --token-file \S+ from http:\/\/127\.0\.0\.1:\d+ failed verification: .*signature/m,
      token,
    );
  });

  it('refuses a missing, empty, non-JWT or expired file, naming the flag and the file', async () => {
    const missing = await world().run([
      'get-token',
      '--grant-type=token-file',
      `--token-file=${join(world().home.home, 'nowhere')}`,
    ]);
    assertError(missing, /^error: --token-file \S+nowhere: cannot read it \(no such file\)$/m);

    await writeFile(tokenFileOf(), '\n');
    assertError(await run([]), /^error: --token-file \S+ is empty$/m);

    await writeFile(tokenFileOf(), 'not-a-jwt-but-a-secret-value');
    assertError(await run([]), /^error: --token-file \S+ does not hold a JWT/m, 'not-a-jwt-but-a-secret-value');

    const now = Math.floor(Date.now() / 1000);
    const expired = unsignedJwt({ aud: AUDIENCE, iat: now - 600, exp: now - 60 });
    await writeFile(tokenFileOf(), expired);
    assertError(
      await run([]),
      /^error: --token-file \S+ holds a token that expired at \S+Z \(this machine's clock says \S+Z\)$/m,
      expired,
    );
  });

  it('refuses a file larger than a token can be without reading it whole, a directory and a device', async () => {
    const now = Math.floor(Date.now() / 1000);
    // A valid token followed by a mebibyte of padding: only the size can refuse it.
    const token = unsignedJwt({ aud: AUDIENCE, iat: now, exp: now + 3600 });
    await writeFile(tokenFileOf(), `${token}${' '.repeat(1024 * 1024)}`);
    assertError(await run([]), /^error: --token-file \S+: cannot read it \(larger than 65536 bytes\)$/m, token);

    assertError(
      await world().run(['get-token', '--grant-type=token-file', `--token-file=${world().home.home}`]),
      /^error: --token-file \S+: cannot read it \(a directory, not a regular file\)$/m,
    );
    assertError(
      await world().run(['get-token', '--grant-type=token-file', '--token-file=/dev/null']),
      /^error: --token-file \/dev\/null: cannot read it \(a character device, not a regular file\)$/m,
    );
  });

  it('needs --token-file, and --oidc-client-id only with --oidc-issuer-url', async () => {
    assertError(
      await world().run(['get-token', '--grant-type=token-file']),
      /^error: --grant-type=token-file needs --token-file$/m,
    );
    assertError(
      await run([`--oidc-client-id=${AUDIENCE}`]),
      /^error: --oidc-client-id with --grant-type=token-file needs --oidc-issuer-url/m,
    );
    assertError(
      await run([`--oidc-issuer-url=${world().ci.issuer}`]),
      /^error: --oidc-client-id is required \(the audience the token must have\)$/m,
    );
    assertError(
      await world().run([
        'get-token',
        `--token-file=${tokenFileOf()}`,
        `--oidc-issuer-url=${world().ci.issuer}`,
        '--oidc-client-id=x',
      ]),
      /^error: --token-file needs --grant-type=token-file$/m,
    );
  });
});
