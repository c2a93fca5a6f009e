/**
 * The flag table as data: the defaults the conversion reads, the default the
 * help shows, and one spec per flag name in every command.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLEAN_FLAGS,
  CONVERT_FLAGS,
  LOGOUT_FLAGS,
  SETUP_FLAGS,
  WHOAMI_FLAGS,
} from '../../../src/flags/command-flags.ts';
import { helpText, shownDefault } from '../../../src/flags/flag-help.ts';
import { defaultsOf, type FlagSpec, GET_TOKEN_FLAGS } from '../../../src/flags/flag-specs.ts';

function spec(specs: readonly FlagSpec[], name: string): FlagSpec {
  const found = specs.find((entry) => entry.name === name);
  assert.ok(found, `no flag ${name}`);
  return found;
}

describe('defaultsOf', () => {
  it("holds each default value by the flag's attribute name, and nothing for flags without one", () => {
    assert.deepEqual(defaultsOf(GET_TOKEN_FLAGS), {
      oidcPkceMethod: 'auto',
      grantType: 'auto',
      listenAddress: ['127.0.0.1:8000', '127.0.0.1:18000'],
      oidcRedirectUrlHostname: 'localhost',
      authenticationTimeoutSec: 180,
      subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
      tokenCacheStorage: 'disk',
    });
  });
});

describe('the help of a flag', () => {
  it('shows the default value, a list joined with commas, after the description', () => {
    assert.equal(
      helpText(spec(GET_TOKEN_FLAGS, 'authentication-timeout-sec')),
      'Deadline of the browser part of a login, in seconds (1 to 2147483) (default: 180)',
    );
    assert.match(
      helpText(spec(GET_TOKEN_FLAGS, 'listen-address')),
      /\(default: 127\.0\.0\.1:8000,127\.0\.0\.1:18000\)$/,
    );
  });

  it('shows the display form of a computed default, without Markdown', () => {
    assert.equal(
      helpText(spec(GET_TOKEN_FLAGS, 'token-cache-dir')),
      'Token cache directory (default: $KUBECACHEDIR/oidc-login or ~/.kube/cache/oidc-login)',
    );
  });

  it('shows no default for a flag without one, nor for a boolean', () => {
    assert.equal(shownDefault(spec(GET_TOKEN_FLAGS, 'oidc-client-secret')), undefined);
    assert.equal(shownDefault(spec(GET_TOKEN_FLAGS, 'force-refresh')), undefined);
  });
});

describe("each command's flags", () => {
  const commands = {
    'get-token': GET_TOKEN_FLAGS,
    setup: SETUP_FLAGS,
    logout: LOGOUT_FLAGS,
    whoami: WHOAMI_FLAGS,
    'convert-kubeconfig': CONVERT_FLAGS,
    clean: CLEAN_FLAGS,
  };

  it('name each flag once', () => {
    for (const [command, specs] of Object.entries(commands)) {
      const names = specs.map((entry: FlagSpec) => entry.name);
      assert.deepEqual(names, [...new Set(names)], command);
    }
  });

  it("describe convert-kubeconfig's selection of users in its own words, not setup's", () => {
    assert.equal(spec(CONVERT_FLAGS, 'context').description, 'Convert only the user of this context');
    assert.match(spec(CONVERT_FLAGS, 'user').description, /^Convert only this user/);
    assert.match(spec(CONVERT_FLAGS, 'kubeconfig').description, /^Kubeconfig to convert/);
  });

  it('leave --force-refresh to get-token', () => {
    assert.ok(!LOGOUT_FLAGS.some((entry: FlagSpec) => entry.name === 'force-refresh'));
  });
});
