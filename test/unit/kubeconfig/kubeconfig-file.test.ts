import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../../src/core/errors.ts';
import { putContext, putExecUser } from '../../../src/kubeconfig/kubeconfig-edit.ts';
import {
  BACKUP_SUFFIX,
  kubeconfigPath,
  readKubeconfig,
  writeKubeconfig,
} from '../../../src/kubeconfig/kubeconfig-file.ts';
import { entriesNamed, KUBECTL_STYLE_KUBECONFIG, parseKubeconfig } from '../../support/cluster/kubeconfig-samples.ts';
import { lineDiff } from '../../support/cluster/line-diff.ts';

let root: string;
let counter = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubelogin-kubeconfig-file-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh, empty directory under the test root. */
async function newDir(): Promise<string> {
  const dir = join(root, `case-${++counter}`);
  await mkdir(dir);
  return dir;
}

/** A file `kubeconfig` in a fresh directory holding `text` with `mode`. */
async function fileWith(text: string, mode = 0o600): Promise<{ dir: string; path: string }> {
  const dir = await newDir();
  const path = join(dir, 'kubeconfig');
  await writeFile(path, text);
  await chmod(path, mode);
  return { dir, path };
}

/** Asserts that `fn` throws a ConfigError with a one-line message matching every pattern. */
function assertConfigError(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `not a ConfigError: ${String(error)}`);
    assert.ok(!error.message.includes('\n'), `the message has several lines: ${JSON.stringify(error.message)}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

const EXEC_USER = {
  command: 'kubelogin',
  args: ['get-token', '--oidc-issuer-url=https://issuer.example', '--oidc-client-id=kubernetes'],
  interactiveMode: 'Never' as const,
  provideClusterInfo: false,
};

describe('kubeconfigPath', () => {
  it('takes --kubeconfig first, whatever KUBECONFIG says', () => {
    assert.equal(
      kubeconfigPath('/flag/config', { env: { HOME: '/home/u', KUBECONFIG: '/env/config' }, platform: 'linux' }),
      '/flag/config',
    );
  });
  it('else the first entry of KUBECONFIG, skipping empty entries', () => {
    assert.equal(
      kubeconfigPath(undefined, {
        env: { HOME: '/home/u', KUBECONFIG: ['/a', '/b'].join(delimiter) },
        platform: 'linux',
      }),
      '/a',
    );
    assert.equal(
      kubeconfigPath(undefined, {
        env: { HOME: '/home/u', KUBECONFIG: `${delimiter}${delimiter}/b` },
        platform: 'linux',
      }),
      '/b',
    );
  });
  it('else ~/.kube/config, also for an empty --kubeconfig or KUBECONFIG', () => {
    assert.equal(
      kubeconfigPath(undefined, { env: { HOME: '/home/u' }, platform: 'linux' }),
      join('/home/u', '.kube', 'config'),
    );
    assert.equal(
      kubeconfigPath('', { env: { HOME: '/home/u', KUBECONFIG: '' }, platform: 'linux' }),
      join('/home/u', '.kube', 'config'),
    );
  });
  it('is a ConfigError when there is no home directory to fall back on', () => {
    assertConfigError(() => kubeconfigPath(undefined, { env: {}, platform: 'linux' }), /HOME/);
  });
});

describe('readKubeconfig', () => {
  it('reads a file, with its mode', async () => {
    const { path } = await fileWith(KUBECTL_STYLE_KUBECONFIG, 0o640);
    const file = readKubeconfig(path, { mustExist: true });
    assert.equal(file.path, path);
    assert.equal(file.existed, true);
    assert.equal(file.mode, 0o640);
    assert.deepEqual(file.document.toJS(), parseKubeconfig(KUBECTL_STYLE_KUBECONFIG));
  });

  it('a missing file is an empty kubeconfig (mode 0600) unless it must exist', async () => {
    const path = join(await newDir(), 'missing');
    const file = readKubeconfig(path, { mustExist: false });
    assert.equal(file.existed, false);
    assert.equal(file.mode, 0o600);
    assert.deepEqual(file.document.toJS(), {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [],
      contexts: [],
      users: [],
      'current-context': '',
      preferences: {},
    });
    assertConfigError(() => readKubeconfig(path, { mustExist: true }), new RegExp(path), /ENOENT|no such file/i);
  });

  it('an empty file is an empty kubeconfig that existed', async () => {
    const { path } = await fileWith('');
    const file = readKubeconfig(path, { mustExist: true });
    assert.equal(file.existed, true);
    assert.deepEqual(file.document.toJS()?.users, []);
  });

  it('malformed YAML is a one-line ConfigError naming the file', async () => {
    const { path } = await fileWith('users:\n- name: a\n  user: {token: x}\n - name: b\n');
    assertConfigError(() => readKubeconfig(path, { mustExist: true }), new RegExp(path), /not valid YAML/);
  });

  it('YAML that is not a mapping (a list, a scalar) is a ConfigError naming the file', async () => {
    for (const text of ['- a\n- b\n', 'just a string\n', '42\n']) {
      const { path } = await fileWith(text);
      assertConfigError(() => readKubeconfig(path, { mustExist: true }), new RegExp(path), /mapping/);
    }
  });

  it('a directory is a ConfigError naming it', async () => {
    const dir = await newDir();
    assertConfigError(() => readKubeconfig(dir, { mustExist: false }), new RegExp(dir));
  });
});

describe('writeKubeconfig', () => {
  it('replaces the file keeping its mode, and keeps the original bytes as a backup', async () => {
    const { dir, path } = await fileWith(KUBECTL_STYLE_KUBECONFIG, 0o640);
    const file = readKubeconfig(path, { mustExist: true });
    putExecUser(file.document, 'oidc', EXEC_USER);
    const backup = writeKubeconfig(file);

    assert.equal(backup, `${path}${BACKUP_SUFFIX}`);
    assert.equal(await readFile(`${path}${BACKUP_SUFFIX}`, 'utf8'), KUBECTL_STYLE_KUBECONFIG);
    assert.equal((await stat(path)).mode & 0o777, 0o640);
    const written = await readFile(path, 'utf8');
    assert.equal(entriesNamed(parseKubeconfig(written), 'users', 'oidc').length, 1);
    assert.deepEqual(lineDiff(KUBECTL_STYLE_KUBECONFIG, written).removed, [], 'the rest of the file changed');
    assert.deepEqual(
      (await readdir(dir)).sort(),
      ['kubeconfig', `kubeconfig${BACKUP_SUFFIX}`],
      'a temporary file was left behind',
    );
  });

  it('keeps an unusual mode such as 0604 exactly', async () => {
    const { path } = await fileWith(KUBECTL_STYLE_KUBECONFIG, 0o604);
    writeKubeconfig(readKubeconfig(path, { mustExist: true }));
    assert.equal((await stat(path)).mode & 0o777, 0o604);
  });

  it('a second write replaces the backup with the file as it was just before', async () => {
    const { path } = await fileWith(KUBECTL_STYLE_KUBECONFIG);
    const first = readKubeconfig(path, { mustExist: true });
    putExecUser(first.document, 'oidc', EXEC_USER);
    writeKubeconfig(first);
    const afterFirst = await readFile(path, 'utf8');
    const second = readKubeconfig(path, { mustExist: true });
    putExecUser(second.document, 'oidc', { ...EXEC_USER, args: [...EXEC_USER.args, '--oidc-extra-scope=email'] });
    putContext(second.document, 'oidc', 'prod', 'oidc');
    writeKubeconfig(second);
    assert.equal(await readFile(`${path}${BACKUP_SUFFIX}`, 'utf8'), afterFirst);
    const data = parseKubeconfig(await readFile(path, 'utf8'));
    assert.equal(entriesNamed(data, 'users', 'oidc').length, 1, 'the user was added twice');
    assert.equal(entriesNamed(data, 'contexts', 'oidc').length, 1);
  });

  it('creates a missing file 0600, with its directories, and no backup', async () => {
    const path = join(await newDir(), 'new', 'dir', 'config');
    const file = readKubeconfig(path, { mustExist: false });
    putExecUser(file.document, 'oidc', EXEC_USER);
    const previousUmask = process.umask(0o000);
    let backup: string | undefined;
    try {
      backup = writeKubeconfig(file);
    } finally {
      process.umask(previousUmask);
    }
    assert.equal(backup, undefined);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(path, '..')), ['config']);
    const data = parseKubeconfig(await readFile(path, 'utf8'));
    assert.equal(data['kind'], 'Config');
    assert.deepEqual(entriesNamed(data, 'users', 'oidc')[0]?.user, {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'kubelogin',
        args: EXEC_USER.args,
        interactiveMode: 'Never',
        provideClusterInfo: false,
      },
    });
  });

  // Tests run as root, which may write any file: the mode bits are what say read-only.
  it('refuses a read-only file (0444) with a ConfigError naming it, leaving it and its directory untouched', async () => {
    const { dir, path } = await fileWith(KUBECTL_STYLE_KUBECONFIG, 0o444);
    const file = readKubeconfig(path, { mustExist: true });
    putExecUser(file.document, 'oidc', EXEC_USER);
    assertConfigError(() => writeKubeconfig(file), new RegExp(path), /read-only/);
    assert.equal(await readFile(path, 'utf8'), KUBECTL_STYLE_KUBECONFIG);
    assert.equal((await stat(path)).mode & 0o777, 0o444);
    assert.deepEqual(await readdir(dir), ['kubeconfig'], 'a backup or temporary file was written');
  });

  it('a file whose directory is gone fails with a ConfigError naming it', async () => {
    const { dir, path } = await fileWith(KUBECTL_STYLE_KUBECONFIG);
    const file = readKubeconfig(path, { mustExist: true });
    await rm(dir, { recursive: true });
    await writeFile(dir, 'now a file, so the directory cannot be made');
    assertConfigError(() => writeKubeconfig(file), new RegExp(path));
  });
});

describe('writeKubeconfig: links and backups', () => {
  it('writes a symlinked kubeconfig through to its target and keeps the link', async () => {
    const { dir, path: target } = await fileWith(KUBECTL_STYLE_KUBECONFIG, 0o644);
    const link = join(dir, 'config-link');
    await symlink(target, link);
    const file = readKubeconfig(link, { mustExist: true });
    putExecUser(file.document, 'oidc', EXEC_USER);
    writeKubeconfig(file);
    assert.ok((await lstat(link)).isSymbolicLink(), 'the link is still a link');
    assert.match(await readFile(target, 'utf8'), /command: kubelogin/);
    assert.equal((await stat(target)).mode & 0o777, 0o644, 'the target keeps its mode');
  });

  it('keeps the backup readable by the owner only, whatever the old mode', async () => {
    const { path } = await fileWith(KUBECTL_STYLE_KUBECONFIG, 0o644);
    const file = readKubeconfig(path, { mustExist: true });
    putExecUser(file.document, 'oidc', EXEC_USER);
    const backup = writeKubeconfig(file);
    assert.equal(backup, `${path}${BACKUP_SUFFIX}`);
    assert.equal((await stat(backup)).mode & 0o777, 0o600);
    assert.equal(await readFile(backup, 'utf8'), KUBECTL_STYLE_KUBECONFIG);
  });
});
