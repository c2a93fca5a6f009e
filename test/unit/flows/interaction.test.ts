/**
 * Whether a run may prompt or open a browser, and which grant `auto` picks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecInfo } from '../../../src/core/exec-credential.ts';
import type { BrowserLoginOptions, Grant, LoginOptions } from '../../../src/core/options.ts';
import type { Deps } from '../../../src/deps.ts';
import { canPrompt, isTerminalRun, isWsl, whyNoBrowser } from '../../../src/flows/interaction.ts';
import { chooseGrant, usesBrowser } from '../../../src/flows/login.ts';
import type { ProviderSession } from '../../../src/provider/session.ts';
import { testDeps } from '../../support/in-process/test-deps.ts';

function deps(
  env: NodeJS.ProcessEnv,
  options: { tty?: boolean; platform?: NodeJS.Platform; insideContainer?: boolean } = {},
): Deps {
  return testDeps({
    env,
    stdinIsTTY: options.tty ?? false,
    platform: options.platform ?? 'linux',
    now: () => 0,
    insideContainer: options.insideContainer ?? false,
  }).deps;
}

const browser: BrowserLoginOptions = {
  listenAddresses: ['127.0.0.1:8000'],
  redirectUrl: undefined,
  redirectUrlHostname: 'localhost',
  skipOpenBrowser: false,
  browserCommand: undefined,
  showQrCode: true,
  authenticationTimeoutMs: 180_000,
  openUrlAfterAuthentication: undefined,
};

const fromKubectl = (interactive: boolean): ExecInfo => ({
  apiVersion: 'client.authentication.k8s.io/v1',
  interactive,
  fromKubectl: true,
});
const byHand: ExecInfo = { apiVersion: 'client.authentication.k8s.io/v1beta1', interactive: true, fromKubectl: false };

describe('canPrompt and isTerminalRun', () => {
  it('prompts only on a terminal that kubectl (if it ran us) calls interactive', () => {
    assert.equal(canPrompt(byHand, deps({}, { tty: true })), true);
    assert.equal(canPrompt(byHand, deps({}, { tty: false })), false);
    assert.equal(canPrompt(fromKubectl(true), deps({}, { tty: true })), true);
    assert.equal(canPrompt(fromKubectl(false), deps({}, { tty: true })), false);
    assert.equal(canPrompt(fromKubectl(true), deps({}, { tty: false })), false);
  });

  it('counts a run as attended when kubectl with interactiveMode Never still writes its stderr to a terminal', () => {
    const terminalStderr = { ...deps({}, { tty: false }), stderr: { write: () => true, isTTY: true } };
    assert.equal(isTerminalRun(fromKubectl(false), terminalStderr), true);
  });

  it('counts a run as attended when stdin is a terminal or kubectl says it is interactive', () => {
    assert.equal(isTerminalRun(fromKubectl(false), deps({}, { tty: false })), false);
    assert.equal(isTerminalRun(fromKubectl(true), deps({}, { tty: false })), true);
    assert.equal(isTerminalRun(fromKubectl(false), deps({}, { tty: true })), true);
  });
});

describe('whyNoBrowser', () => {
  it('finds a browser on Linux with DISPLAY or WAYLAND_DISPLAY, and on macOS', () => {
    assert.equal(whyNoBrowser(browser, deps({ DISPLAY: ':0' })), undefined);
    assert.equal(whyNoBrowser(browser, deps({ WAYLAND_DISPLAY: 'wayland-0' })), undefined);
    assert.equal(whyNoBrowser(browser, deps({}, { platform: 'darwin' })), undefined);
  });

  it('finds none on Linux without a display, or in SSH without a forwarded display', () => {
    assert.match(whyNoBrowser(browser, deps({})) ?? '', /neither DISPLAY nor WAYLAND_DISPLAY/);
    assert.match(
      whyNoBrowser(browser, deps({ SSH_CONNECTION: '10.0.0.1 1 10.0.0.2 22' }, { platform: 'darwin' })) ?? '',
      /SSH session/,
    );
    assert.equal(whyNoBrowser(browser, deps({ SSH_CONNECTION: 'x', DISPLAY: 'localhost:10.0' })), undefined);
  });

  it('always counts a --browser-command as a usable browser', () => {
    assert.equal(whyNoBrowser({ ...browser, browserCommand: '/bin/true' }, deps({})), undefined);
  });

  it('finds the Windows browser on WSL, which open starts through PowerShell without a display', () => {
    assert.equal(whyNoBrowser(browser, deps({ WSL_DISTRO_NAME: 'Ubuntu' })), undefined);
    assert.equal(whyNoBrowser(browser, deps({ WSL_INTEROP: '/run/WSL/1_interop' })), undefined);
    assert.equal(isWsl(deps({ WSL_DISTRO_NAME: 'Ubuntu' })), true);
    assert.equal(isWsl(deps({})), false);
    // The variables mean nothing on another system.
    assert.equal(isWsl(deps({ WSL_DISTRO_NAME: 'Ubuntu' }, { platform: 'darwin' })), false);
  });

  it('counts BROWSER as a browser: xdg-open runs it when there is no desktop, as in a dev container', () => {
    assert.equal(
      whyNoBrowser(browser, deps({ BROWSER: '/vscode/bin/helpers/browser.sh', REMOTE_CONTAINERS: 'true' })),
      undefined,
    );
  });

  it('says when a container without a display is why, by its marker file or its variables', () => {
    const container = 'this is a container without a display';
    assert.equal(whyNoBrowser(browser, deps({}, { insideContainer: true })), container);
    for (const variable of ['container', 'REMOTE_CONTAINERS', 'CODESPACES', 'KUBERNETES_SERVICE_HOST']) {
      assert.equal(whyNoBrowser(browser, deps({ [variable]: 'x' })), container, variable);
    }
    assert.equal(whyNoBrowser(browser, deps({ DISPLAY: ':0' }, { insideContainer: true })), undefined);
  });
});

describe('chooseGrant', () => {
  const session = (deviceEndpoint: boolean) =>
    ({
      metadata: {
        issuer: 'https://issuer.invalid',
        ...(deviceEndpoint ? { device_authorization_endpoint: 'https://issuer.invalid/device' } : {}),
      },
    }) as unknown as ProviderSession;
  const auto: Grant = { type: 'auto', username: undefined, password: undefined, exchangeAudience: undefined };
  const options = (grant: Grant = auto): LoginOptions => ({
    provider: {} as LoginOptions['provider'],
    browser,
    grant,
  });

  it('keeps an explicit grant type', () => {
    const grant: Grant = { type: 'device-code', exchangeAudience: undefined };
    assert.deepEqual(chooseGrant(options(grant), session(false), deps({ DISPLAY: ':0' })), {
      grant,
      reason: undefined,
    });
  });

  it('picks the password grant when --username is given, with its settings', () => {
    assert.deepEqual(
      chooseGrant(
        options({ ...auto, username: 'alice', exchangeAudience: 'a' }),
        session(true),
        deps({ DISPLAY: ':0' }),
      ),
      {
        grant: { type: 'password', username: 'alice', password: undefined, exchangeAudience: 'a' },
        reason: '--username was given',
      },
    );
  });

  it('picks the browser when one can be used, without a reason to print', () => {
    assert.deepEqual(chooseGrant(options(), session(true), deps({ DISPLAY: ':0' })), {
      grant: { type: 'authcode', exchangeAudience: undefined },
      reason: undefined,
    });
  });

  it('picks the device code flow without a browser when the provider offers it, and says why', () => {
    const choice = chooseGrant(options(), session(true), deps({}));
    assert.equal(choice.grant.type, 'device-code');
    assert.match(choice.reason ?? '', /no browser can be opened \(neither DISPLAY nor WAYLAND_DISPLAY is set\)/);
  });

  it('falls back to the browser flow (the URL is printed) when the provider has no device endpoint', () => {
    const choice = chooseGrant(options(), session(false), deps({}));
    assert.equal(choice.grant.type, 'authcode');
    assert.match(choice.reason ?? '', /no device authorization endpoint/);
  });

  it('knows which grants send the person to a browser', () => {
    assert.deepEqual(
      (['authcode', 'device-code', 'authcode-keyboard', 'client-credentials'] as const).filter((type) =>
        usesBrowser({ type, exchangeAudience: undefined }),
      ),
      ['authcode', 'device-code'],
    );
  });
});
