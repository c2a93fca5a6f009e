/**
 * The backup `F.kubelogin-backup` is made without following a link planted at its name: the
 * link is replaced by a regular 0600 file holding the old kubeconfig, and the link's target keeps
 * its content and mode. For `setup --write-kubeconfig` and `convert-kubeconfig`.
 */
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KUBECTL_STYLE_KUBECONFIG } from '../../support/cluster/kubeconfig-samples.ts';
import { legacyUserYaml } from '../../support/cluster/legacy-kubeconfig.ts';
import { TEST_CLIENTS } from '../../support/provider/test-provider.ts';
import { runSetup } from '../../support/setup-output.ts';
import { worldForAll } from '../../support/world.ts';

/** A login and a CLI run per test. */
const TEST_TIMEOUT_MS = 60_000;
/** What the planted link points at: a file of the victim's, readable by others. */
const TARGET_CONTENT = 'the victim keeps this file\n';
const TARGET_MODE = 0o644;
/** Mode of the backup: the old kubeconfig may hold tokens and client secrets. */
const BACKUP_MODE = 0o600;

/** A kubeconfig with one user of the removed `auth-provider: oidc`; its tokens need no provider. */
const LEGACY_KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters: []',
  'contexts: []',
  'current-context: ""',
  'users:',
  legacyUserYaml('legacy', {
    'idp-issuer-url': 'https://issuer.invalid',
    'client-id': TEST_CLIENTS.native,
    'id-token': 'old.id.token',
    'refresh-token': 'old-refresh-token',
  }).trimEnd(),
  '',
].join('\n');

const world = worldForAll();
let counter = 0;

/** A fresh directory holding `kubeconfig.yaml` with `text`, a link planted at its backup's name, and the link's target. */
async function plantedCase(text: string): Promise<{ dir: string; path: string; backup: string; target: string }> {
  const dir = join(world().home.home, `case-${++counter}`);
  await mkdir(dir);
  const path = join(dir, 'kubeconfig.yaml');
  await writeFile(path, text, { mode: 0o600 });
  const target = join(dir, 'victim.txt');
  await writeFile(target, TARGET_CONTENT);
  await chmod(target, TARGET_MODE);
  const backup = `${path}.kubelogin-backup`;
  await symlink(target, backup);
  return { dir, path, backup, target };
}

/** Asserts the link's target is untouched and the backup is a regular 0600 file with `original`. */
async function assertBackupReplacedLink(
  { backup, target }: { backup: string; target: string },
  original: string,
): Promise<void> {
  assert.equal(await readFile(target, 'utf8'), TARGET_CONTENT, 'the link was followed: its target was overwritten');
  assert.equal((await stat(target)).mode & 0o777, TARGET_MODE, "the mode of the link's target changed");
  const backupStats = await lstat(backup);
  assert.ok(backupStats.isFile(), 'the backup is not a regular file');
  assert.equal(backupStats.mode & 0o777, BACKUP_MODE);
  assert.equal(await readFile(backup, 'utf8'), original);
}

describe('the kubeconfig backup does not follow a link planted at its name', () => {
  it('setup --write-kubeconfig', { timeout: TEST_TIMEOUT_MS }, async () => {
    const planted = await plantedCase(KUBECTL_STYLE_KUBECONFIG);
    const result = await runSetup(
      world(),
      [`--oidc-client-id=${TEST_CLIENTS.native}`, '--write-kubeconfig', `--kubeconfig=${planted.path}`],
      { env: { HOME: planted.dir } },
    );
    assert.equal(result.code, 0, result.stderr);
    await assertBackupReplacedLink(planted, KUBECTL_STYLE_KUBECONFIG);
  });

  it('convert-kubeconfig', { timeout: TEST_TIMEOUT_MS }, async () => {
    const planted = await plantedCase(LEGACY_KUBECONFIG);
    const result = await world().run(
      ['convert-kubeconfig', `--kubeconfig=${planted.path}`, `--token-cache-dir=${join(planted.dir, 'cache')}`],
      { env: { HOME: planted.dir } },
    );
    assert.equal(result.code, 0, result.stderr);
    await assertBackupReplacedLink(planted, LEGACY_KUBECONFIG);
  });
});
