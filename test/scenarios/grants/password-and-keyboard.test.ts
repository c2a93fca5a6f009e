/**
 * The grants that need typing: password (by flags and by prompts on a
 * terminal) and authcode-keyboard (the code pasted at `Enter code: `), and
 * how they fail fast where nobody can type.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loginWithHttpDriver } from '../../support/browser/http-login-driver.mjs';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import { NON_INTERACTIVE_EXEC_INFO, parseExecCredential, runCli } from '../../support/run-cli.ts';
import { runInPty } from '../../support/run-in-pty.ts';
import { tokenFiles } from '../../support/token-files.ts';

describe('password grant', () => {
  let fixture: CliFixture;
  beforeEach(async () => {
    fixture = await startCliFixture();
  });
  afterEach(() => fixture.close());

  const passwordArgs = (user: string, password = passwordOf(user)) => [
    ...fixture.args,
    '--grant-type=password',
    `--username=${user}`,
    `--password=${password}`,
  ];

  it('logs in with --username and --password, and keys the cache by username', async () => {
    const alice = await runCli(passwordArgs('alice'), { env: fixture.env });
    assert.equal(alice.code, 0, alice.stderr);
    assert.equal(alice.stderr, '');
    const bob = await runCli(passwordArgs('bob'), { env: fixture.env });
    assert.equal(bob.code, 0, bob.stderr);
    const claims = (stdout: string) =>
      JSON.parse(Buffer.from(parseExecCredential(stdout).status.token.split('.')[1] as string, 'base64url').toString());
    assert.equal(claims(alice.stdout).sub, 'alice');
    assert.equal(claims(bob.stdout).sub, 'bob');
    assert.equal((await tokenFiles(fixture.cacheDir)).length, 2);
    assert.equal(fixture.provider.counts.passwordGrants, 2);
    assert.equal(await fixture.browserRuns(), 0);
  });

  it('is what auto picks when --username is given, and says so', async () => {
    const result = await runCli([...fixture.args, '--username=alice', `--password=${passwordOf('alice')}`], {
      env: fixture.env,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Using the password flow: --username was given\.$/m);
    assert.equal(fixture.provider.counts.passwordGrants, 1);
  });

  it('fails with one line on a wrong password, and never prints it', async () => {
    const result = await runCli(passwordArgs('alice', 'wrong-password-value'), { env: fixture.env });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the password grant at 127\.0\.0\.1:\d+ failed: invalid_grant/);
    assert.ok(!result.stderr.includes('wrong-password-value'));
  });

  it('prompts for the username and the password (without echo) on a terminal', async () => {
    const password = passwordOf('carol');
    const result = await runInPty([...fixture.args, '--grant-type=password'], {
      env: fixture.env,
      steps: [
        { expect: /Username: /, send: 'carol\r' },
        { expect: /Password: /, send: `${password}\r` },
      ],
      timeoutMs: 30_000,
    });
    assert.equal(result.code, 0, result.output);
    assert.ok(!result.output.includes(password), 'the password was echoed');
    assert.match(result.output, /"kind":"ExecCredential"/);
    assert.equal(fixture.provider.counts.passwordGrants, 1);
  });

  it('fails at once, naming the flag, when the password is missing and nobody can type it', async () => {
    const result = await runCli([...fixture.args, '--grant-type=password', '--username=alice'], {
      env: { ...fixture.env, KUBERNETES_EXEC_INFO: NON_INTERACTIVE_EXEC_INFO },
      timeoutMs: 10_000,
    });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: typing the missing --password needs a terminal/);
    assert.match(result.stderr, /^hint: pass --password, or run the command in a terminal$/m);
  });
});

describe('authcode-keyboard', () => {
  let fixture: CliFixture;
  let codeCatcher: Server;
  let caughtCode: Promise<string>;
  let redirectUrl: string;

  beforeEach(async () => {
    fixture = await startCliFixture();
    // Stands where the provider sends the browser: the person reads the code off this page.
    let deliver: (code: string) => void;
    caughtCode = new Promise((resolve) => (deliver = resolve));
    codeCatcher = createServer((request, response) => {
      deliver(new URL(request.url ?? '/', 'http://localhost').searchParams.get('code') ?? '');
      response.end('<title>Copy the code</title>');
    });
    await new Promise<void>((resolve) => codeCatcher.listen(0, '127.0.0.1', resolve));
    redirectUrl = `http://localhost:${(codeCatcher.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    codeCatcher.close();
    await fixture.close();
  });

  const keyboardArgs = () => [...fixture.args, '--grant-type=authcode-keyboard', `--oidc-redirect-url=${redirectUrl}`];

  it('prints the authorization URL and exchanges the code pasted at "Enter code: "', async () => {
    const result = await runInPty(keyboardArgs(), {
      env: fixture.env,
      steps: [
        {
          expect: /Please visit the following URL in your browser: (\S+)/,
          send: async (match) => {
            await loginWithHttpDriver(match[1] as string, { user: 'alice' });
            return '';
          },
        },
        { expect: /Enter code: /, send: async () => `${await caughtCode}\r` },
      ],
      timeoutMs: 30_000,
    });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /"kind":"ExecCredential"/);
    assert.equal(fixture.provider.counts.codeExchanges, 1);
    assert.equal(await fixture.browserRuns(), 0, 'no browser is opened');
  });

  it('accepts the old --oidc-redirect-url-authcode-keyboard with a deprecation warning', async () => {
    const args = [
      ...fixture.args,
      '--grant-type=authcode-keyboard',
      `--oidc-redirect-url-authcode-keyboard=${redirectUrl}`,
    ];
    const result = await runInPty(args, {
      env: fixture.env,
      steps: [
        {
          expect: /Please visit the following URL in your browser: (\S+)/,
          send: async (match) => {
            assert.equal(new URL(match[1] as string).searchParams.get('redirect_uri'), redirectUrl);
            await loginWithHttpDriver(match[1] as string, { user: 'alice' });
            return '';
          },
        },
        { expect: /Enter code: /, send: async () => `${await caughtCode}\r` },
      ],
      timeoutMs: 30_000,
    });
    assert.equal(result.code, 0, result.output);
    assert.match(
      result.output,
      /warning: --oidc-redirect-url-authcode-keyboard is deprecated; use --oidc-redirect-url/,
    );
  });

  it('fails with one line on a wrong or empty pasted code', async () => {
    for (const pasted of ['not-a-code', '']) {
      const result = await runInPty(keyboardArgs(), {
        env: fixture.env,
        steps: [{ expect: /Enter code: /, send: `${pasted}\r` }],
        timeoutMs: 30_000,
      });
      assert.equal(result.code, 1, result.output);
      assert.doesNotMatch(result.output, /ExecCredential/);
      assert.match(
        result.output,
        pasted
          ? /error: the token request at 127\.0\.0\.1:\d+ failed: invalid_grant/
          : /error: no authorization code was entered/,
      );
    }
  });

  it('fails at once without a terminal, naming what would work', async () => {
    const result = await runCli(keyboardArgs(), { env: fixture.env, timeoutMs: 10_000 });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: --grant-type=authcode-keyboard \(pasting the code\) needs a terminal/);
    assert.match(result.stderr, /--grant-type=device-code/);
  });
});
