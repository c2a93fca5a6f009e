/**
 * Bad input: each case gets a one-line error naming what is wrong (plus an
 * optional hint line), exit code 1, nothing on stdout and no stack trace.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { type CliResult, runCli } from '../../support/run-cli.ts';
import { tokenFiles } from '../../support/token-files.ts';

/** Asserts the failure shape and returns the error line. */
function assertOneLineError(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 1, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '', 'nothing on stdout');
  const lines = result.stderr.trimEnd().split('\n');
  assert.ok(lines.length <= 2, `at most an error and a hint line: ${result.stderr}`);
  assert.match(lines[0] as string, /^error: /);
  assert.match(lines[0] as string, pattern);
  if (lines[1] !== undefined) assert.match(lines[1], /^hint: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

function listen(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('bad input', () => {
  let fixture: CliFixture;
  before(async () => {
    fixture = await startCliFixture();
  });
  after(() => fixture.close());

  /** get-token for the fixture's provider with some flags replaced. */
  function getTokenWith(replace: Record<string, string | undefined>, extra: string[] = []): string[] {
    const args = fixture.args.filter((arg) => !Object.keys(replace).some((flag) => arg.startsWith(`${flag}=`)));
    for (const [flag, value] of Object.entries(replace)) if (value !== undefined) args.push(`${flag}=${value}`);
    return [...args, ...extra];
  }

  it('a missing issuer URL', async () => {
    assertOneLineError(
      await runCli(getTokenWith({ '--oidc-issuer-url': undefined }), { env: fixture.env }),
      /--oidc-issuer-url is required/,
    );
  });

  it('a missing client ID', async () => {
    assertOneLineError(
      await runCli(getTokenWith({ '--oidc-client-id': undefined }), { env: fixture.env }),
      /--oidc-client-id is required/,
    );
  });

  it('a malformed issuer URL', async () => {
    assertOneLineError(
      await runCli(getTokenWith({ '--oidc-issuer-url': 'issuer.example' }), { env: fixture.env }),
      /--oidc-issuer-url must be an absolute http or https URL/,
    );
    assertOneLineError(
      await runCli(getTokenWith({ '--oidc-issuer-url': 'ftp://issuer.example' }), { env: fixture.env }),
      /--oidc-issuer-url must be an http or https URL/,
    );
  });

  it('an unreachable issuer', async () => {
    const server = await listen();
    const port = (server.address() as { port: number }).port;
    server.close();
    assertOneLineError(
      await fixture.getToken([`--oidc-issuer-url=http://127.0.0.1:${port}`]),
      /cannot reach the OIDC provider at 127\.0\.0\.1:\d+ .*connection refused/,
    );
  });

  it('discovery failing', async () => {
    assertOneLineError(
      await runCli(getTokenWith({ '--oidc-issuer-url': `${fixture.provider.issuer}/nowhere` }), { env: fixture.env }),
      /OIDC discovery at 127\.0\.0\.1:\d+ failed: HTTP 404/,
    );
  });

  it('discovery naming another issuer', async () => {
    const elsewhere = fixture.provider.issuer.replace('127.0.0.1', 'localhost');
    assertOneLineError(
      await runCli(getTokenWith({ '--oidc-issuer-url': elsewhere }), { env: fixture.env }),
      /names a different issuer than --oidc-issuer-url/,
    );
  });

  it('KUBERNETES_EXEC_INFO that is not JSON, or names an unknown apiVersion', async () => {
    assertOneLineError(
      await fixture.getToken([], { env: { KUBERNETES_EXEC_INFO: '{not json' } }),
      /KUBERNETES_EXEC_INFO is not valid JSON/,
    );
    const unknown = JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v2', spec: {} });
    assertOneLineError(
      await fixture.getToken([], { env: { KUBERNETES_EXEC_INFO: unknown } }),
      /KUBERNETES_EXEC_INFO has apiVersion "client\.authentication\.k8s\.io\/v2"/,
    );
  });

  it('every listen address busy', async () => {
    const [first, second] = [await listen(), await listen()];
    try {
      const ports = [first, second].map((server) => (server.address() as { port: number }).port);
      const result = await runCli(getTokenWith({ '--listen-address': `127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}` }), {
        env: fixture.env,
      });
      assertOneLineError(
        result,
        new RegExp(
          `cannot listen on any listen address: 127\\.0\\.0\\.1:${ports[0]} \\(in use\\), 127\\.0\\.0\\.1:${ports[1]} \\(in use\\)`,
        ),
      );
    } finally {
      first.close();
      second.close();
    }
  });

  it('the provider answering error= on the callback', async () => {
    const result = await fixture.getToken([], { env: { LOGIN_MODE: 'deny' } });
    assertOneLineError(result, /the provider returned access_denied/);
  });

  it('a callback with a wrong state, which is ignored until the login times out', async () => {
    const result = await fixture.getToken(['--authentication-timeout-sec=2'], { env: { LOGIN_MODE: 'tamper-state' } });
    // The fake browser got a 400 page, so the CLI also says it failed and prints the URL to open by hand.
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the browser login did not finish within 2s$/m);
    assert.deepEqual(await tokenFiles(fixture.cacheDir), []);
  });

  it('a login that does not finish in time', async () => {
    const result = await fixture.getToken(['--authentication-timeout-sec=1'], { env: { LOGIN_MODE: 'none' } });
    assertOneLineError(result, /the browser login did not finish within 1s/);
  });

  it('an unwritable cache directory', async () => {
    const file = join(fixture.home.home, 'a-file');
    await writeFile(file, '');
    const result = await runCli(getTokenWith({ '--token-cache-dir': join(file, 'cache') }), { env: fixture.env });
    assertOneLineError(result, /cannot create the token cache directory .*a-file\/cache: a parent is not a directory/);
  });

  it('an unknown flag and a malformed value', async () => {
    assertOneLineError(await fixture.getToken(['--no-such-flag']), /^error: unknown flag: --no-such-flag$/);
    assertOneLineError(await fixture.getToken(['--grant-type=magic']), /--grant-type must be one of auto, authcode/);
    assertOneLineError(
      await fixture.getToken(['--oidc-auth-request-extra-params=novalue']),
      /--oidc-auth-request-extra-params takes key=value pairs/,
    );
  });

  it('shows the stack trace only from -v1', async () => {
    const result = await runCli(getTokenWith({ '--oidc-issuer-url': 'http://127.0.0.1:1' }, ['-v1']), {
      env: fixture.env,
    });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /\n\s+at /);
  });
});
