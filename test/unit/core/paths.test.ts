/**
 * The home directory, `~` expansion and the default cache directory by the rules of the platform
 * in Deps: Windows' as Go finds them (USERPROFILE, then HOMEDRIVE+HOMEPATH; `~\`), tested on any
 * machine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/core/errors.ts';
import { expandHome, homeDirectory, tokenCacheDirFrom } from '../../../src/core/paths.ts';
import type { Deps } from '../../../src/deps.ts';
import { kubeconfigPath } from '../../../src/kubeconfig/kubeconfig-file.ts';
import { testDeps } from '../../support/in-process/test-deps.ts';

/** The Deps of a Windows run with `env`. */
function onWindows(env: NodeJS.ProcessEnv): Deps {
  return testDeps({ platform: 'win32', uid: undefined, env }).deps;
}

/** The Deps of a Linux run with `env`. */
function onLinux(env: NodeJS.ProcessEnv): Deps {
  return testDeps({ platform: 'linux', env }).deps;
}

const PROFILE = 'C:\\Users\\alice';
/** What Git Bash and MSYS set HOME to on Windows: a POSIX-style path that Go ignores there. */
const MSYS_HOME = '/c/Users/alice';

describe('homeDirectory', () => {
  it('is USERPROFILE on Windows, whatever HOME says, as Go finds it', () => {
    assert.equal(homeDirectory(onWindows({ USERPROFILE: PROFILE, HOME: MSYS_HOME })), PROFILE);
  });

  it('falls back to HOMEDRIVE and HOMEPATH on Windows', () => {
    assert.equal(
      homeDirectory(onWindows({ HOMEDRIVE: 'D:', HOMEPATH: '\\Users\\bob', HOME: MSYS_HOME })),
      'D:\\Users\\bob',
    );
  });

  it('is a ConfigError naming USERPROFILE when Windows has neither', () => {
    for (const env of [{ HOME: MSYS_HOME }, { HOMEDRIVE: 'D:' }]) {
      assert.throws(
        () => homeDirectory(onWindows(env)),
        (error: unknown) => error instanceof ConfigError && /USERPROFILE/.test(error.message),
      );
    }
  });

  it('is HOME elsewhere, never USERPROFILE', () => {
    assert.equal(homeDirectory(onLinux({ HOME: '/home/alice', USERPROFILE: PROFILE })), '/home/alice');
    assert.throws(
      () => homeDirectory(onLinux({ USERPROFILE: PROFILE })),
      (error: unknown) => error instanceof ConfigError && /HOME is not set/.test(error.message),
    );
  });
});

describe('expandHome', () => {
  it('expands ~, ~\\ and ~/ on Windows with its separators', () => {
    const windows = onWindows({ USERPROFILE: PROFILE });
    assert.equal(expandHome('~', windows), PROFILE);
    assert.equal(expandHome('~\\.kube\\ca.pem', windows), 'C:\\Users\\alice\\.kube\\ca.pem');
    assert.equal(expandHome('~/.kube/ca.pem', windows), 'C:\\Users\\alice\\.kube\\ca.pem');
  });

  it('leaves other paths, and ~user, as they are', () => {
    const windows = onWindows({ USERPROFILE: PROFILE });
    for (const path of ['C:\\ca.pem', '.\\ca.pem', '~alice\\ca.pem', 'a~\\b'])
      assert.equal(expandHome(path, windows), path);
  });

  it('takes ~\\ for a name elsewhere, where a backslash is an ordinary character', () => {
    assert.equal(expandHome('~\\ca.pem', onLinux({ HOME: '/home/alice' })), '~\\ca.pem');
    assert.equal(expandHome('~/ca.pem', onLinux({ HOME: '/home/alice' })), '/home/alice/ca.pem');
  });
});

describe('the default paths on Windows', () => {
  it('puts the token cache under the profile, or under KUBECACHEDIR', () => {
    assert.equal(
      tokenCacheDirFrom(undefined, onWindows({ USERPROFILE: PROFILE })),
      'C:\\Users\\alice\\.kube\\cache\\oidc-login',
    );
    assert.equal(
      tokenCacheDirFrom(undefined, onWindows({ USERPROFILE: PROFILE, KUBECACHEDIR: '~\\kc' })),
      'C:\\Users\\alice\\kc\\oidc-login',
    );
    assert.equal(tokenCacheDirFrom('~\\tokens', onWindows({ USERPROFILE: PROFILE })), 'C:\\Users\\alice\\tokens');
  });

  it('reads KUBECONFIG as a list separated by semicolons, and defaults to the profile', () => {
    assert.equal(kubeconfigPath(undefined, onWindows({ USERPROFILE: PROFILE, KUBECONFIG: ';C:\\a;C:\\b' })), 'C:\\a');
    assert.equal(kubeconfigPath(undefined, onWindows({ USERPROFILE: PROFILE })), 'C:\\Users\\alice\\.kube\\config');
  });
});
