/**
 * Every command as a process of the build under test: the scenarios run them in-process from the
 * sources, so this is where the npm build's slow bundles and the standalone executable show that
 * each command's modules load and work (the HTTPS request of whoami, the revocation of logout, the
 * kubeconfig edit of convert-kubeconfig, the link-free deletion of clean, setup's report).
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { entryFiles, readOnlyEntry } from '../support/cache-entries.ts';
import { legacyUserYaml } from '../support/cluster/legacy-kubeconfig.ts';
import { TEST_CLIENTS } from '../support/provider/test-provider.ts';
import { parseExecCredential } from '../support/run-cli.ts';
import { runSetup } from '../support/setup-output.ts';
import { worldForAll } from '../support/world.ts';

describe('each command as a process', () => {
  const world = worldForAll({ runner: 'subprocess', apiServer: { groupsClaim: 'groups' } });

  it('get-token logs in, then whoami asks the cluster over HTTPS who the token is', async () => {
    const login = await world().getToken();
    assert.equal(login.code, 0, login.stderr);
    assert.ok(parseExecCredential(login.stdout).status.token);
    const whoami = await world().run(['whoami', `--kubeconfig=${world().kubeconfig}`, '-o', 'json']);
    assert.equal(whoami.code, 0, whoami.stderr);
    const report = JSON.parse(whoami.stdout) as { cluster: { userInfo: { username: string } } };
    assert.match(report.cluster.userInfo.username, new RegExp(`^${world().provider.issuer}#`));
  });

  it('setup logs in and prints the configuration, writing no cache', async () => {
    const before = await entryFiles(world().cacheDir);
    const setup = await runSetup(world(), ['--oidc-client-id=kubernetes']);
    assert.equal(setup.code, 0, setup.stderr);
    assert.match(setup.stdout, /kind: AuthenticationConfiguration/);
    assert.deepEqual(await entryFiles(world().cacheDir), before);
  });

  it('convert-kubeconfig rewrites a legacy user and seeds the cache with its tokens', async () => {
    const { id_token: idToken, refresh_token: refreshToken } = await readOnlyEntry(world().cacheDir);
    assert.ok(idToken && refreshToken);
    const kubeconfig = join(world().home.home, 'legacy-kubeconfig');
    const cacheDir = join(world().home.home, 'converted-cache');
    await writeFile(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nusers:\n${legacyUserYaml('legacy', {
        'idp-issuer-url': world().provider.issuer,
        'client-id': TEST_CLIENTS.native,
        'extra-scopes': 'email,offline_access',
        'id-token': idToken,
        'refresh-token': refreshToken,
      })}`,
    );
    const result = await world().run([
      'convert-kubeconfig',
      `--kubeconfig=${kubeconfig}`,
      `--token-cache-dir=${cacheDir}`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(await readFile(kubeconfig, 'utf8'), /command: kubelogin/);
    assert.equal((await readOnlyEntry(cacheDir)).id_token, idToken);
  });

  it('logout revokes and deletes the entry; clean deletes the rest', async () => {
    const logout = await world().run(['logout', ...world().args.slice(1)]);
    assert.equal(logout.code, 0, logout.stderr);
    assert.match(logout.stderr, /revoked/i);
    assert.deepEqual(await entryFiles(world().cacheDir), []);

    assert.equal((await world().getToken()).code, 0, 'a new login');
    const clean = await world().run(['clean', `--token-cache-dir=${world().cacheDir}`]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stderr, /^Deleted the token cache from /m);
    assert.deepEqual(await entryFiles(world().cacheDir), []);
  });

  it('version and help answer without a provider', async () => {
    const version = await world().run(['version']);
    assert.match(version.stdout, /^kubelogin version \S+\n$/);
    const help = await world().run(['get-token', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--oidc-issuer-url/);
  });
});
