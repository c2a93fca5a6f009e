/**
 * Bad input: each case gets a one-line error naming what is wrong (plus an
 * optional hint line), exit code 1, nothing on stdout and no stack trace.
 * Duration flags are bounded by what a timer can wait (2^31-1 ms): a longer
 * --authentication-timeout-sec is refused naming the flag and the range,
 * instead of Node's TimeoutOverflowWarning and a login that fails at once.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { entryFiles } from '../../support/cache-entries.ts';
import { assertLoggedIn } from '../../support/cli-outcome.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import type { CliResult } from '../../support/run-cli.ts';
import { worldForAll } from '../../support/world.ts';

/** The longest --authentication-timeout-sec: 2^31-1 ms in whole seconds. */
const LONGEST_SECONDS = 2_147_483;

/**
 * Asserts the failure shape: exit 1, nothing on stdout, an error line matching `pattern` and at
 * most a hint line (no warning line either), no stack trace.
 */
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

/**
 * Runs `run` and returns its result with the warnings this process emitted meanwhile: the
 * TimeoutOverflowWarning of an in-process run is the test process's, not on the run's stderr.
 */
async function withProcessWarnings(run: () => Promise<CliResult>): Promise<{ result: CliResult; warnings: string[] }> {
  const warnings: string[] = [];
  const record = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', record);
  try {
    const result = await run();
    // Warnings are emitted on the next tick after the call that caused them.
    await new Promise((resolve) => setImmediate(resolve));
    return { result, warnings };
  } finally {
    process.off('warning', record);
  }
}

describe('bad input', () => {
  const world = worldForAll();

  /** get-token for the world's provider with some flags replaced. */
  function getTokenWith(replace: Record<string, string | undefined>, extra: string[] = []): string[] {
    const args = world().args.filter((arg) => !Object.keys(replace).some((flag) => arg.startsWith(`${flag}=`)));
    for (const [flag, value] of Object.entries(replace)) if (value !== undefined) args.push(`${flag}=${value}`);
    return [...args, ...extra];
  }

  it('a missing issuer URL', async () => {
    assertOneLineError(
      await world().run(getTokenWith({ '--oidc-issuer-url': undefined })),
      /--oidc-issuer-url is required/,
    );
  });

  it('a missing client ID', async () => {
    assertOneLineError(
      await world().run(getTokenWith({ '--oidc-client-id': undefined })),
      /--oidc-client-id is required/,
    );
  });

  it('a malformed issuer URL', async () => {
    assertOneLineError(
      await world().run(getTokenWith({ '--oidc-issuer-url': 'issuer.example' })),
      /--oidc-issuer-url must be an absolute http or https URL/,
    );
    assertOneLineError(
      await world().run(getTokenWith({ '--oidc-issuer-url': 'ftp://issuer.example' })),
      /--oidc-issuer-url must be an http or https URL/,
    );
  });

  it('an unreachable issuer', async () => {
    const server = await listen();
    const port = (server.address() as { port: number }).port;
    server.close();
    assertOneLineError(
      await world().getToken([`--oidc-issuer-url=http://127.0.0.1:${port}`]),
      /cannot reach the OIDC provider at 127\.0\.0\.1:\d+ .*connection refused/,
    );
  });

  it('discovery failing', async () => {
    assertOneLineError(
      await world().run(getTokenWith({ '--oidc-issuer-url': `${world().provider.issuer}/nowhere` })),
      /OIDC discovery at 127\.0\.0\.1:\d+ failed: HTTP 404/,
    );
  });

  it('discovery naming another issuer', async () => {
    const elsewhere = world().provider.issuer.replace('127.0.0.1', 'localhost');
    assertOneLineError(
      await world().run(getTokenWith({ '--oidc-issuer-url': elsewhere })),
      /names a different issuer than --oidc-issuer-url/,
    );
  });

  it('KUBERNETES_EXEC_INFO that is not JSON, or names an unknown apiVersion', async () => {
    assertOneLineError(
      await world().getToken([], { env: { KUBERNETES_EXEC_INFO: '{not json' } }),
      /KUBERNETES_EXEC_INFO is not valid JSON/,
    );
    const unknown = JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v2', spec: {} });
    assertOneLineError(
      await world().getToken([], { env: { KUBERNETES_EXEC_INFO: unknown } }),
      /KUBERNETES_EXEC_INFO has apiVersion "client\.authentication\.k8s\.io\/v2"/,
    );
  });

  it('every listen address busy', async () => {
    const [first, second] = [await listen(), await listen()];
    try {
      const ports = [first, second].map((server) => (server.address() as { port: number }).port);
      const result = await world().run(
        getTokenWith({ '--listen-address': `127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}` }),
      );
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
    const result = await world().getToken([], { env: { LOGIN_MODE: 'deny' } });
    assertOneLineError(result, /the provider returned access_denied/);
  });

  it('a callback with a wrong state, which is ignored until the login times out', async () => {
    const result = await world().getToken(['--authentication-timeout-sec=2'], { env: { LOGIN_MODE: 'tamper-state' } });
    // The fake browser got a 400 page (so a browser process would exit 1, and the CLI would print the URL to open by hand).
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: the browser login did not finish within 2s$/m);
    assert.deepEqual(await entryFiles(world().cacheDir), []);
  });

  it('a login that does not finish in time', async () => {
    const result = await world().getToken(['--authentication-timeout-sec=1'], { env: { LOGIN_MODE: 'none' } });
    assertOneLineError(result, /the browser login did not finish within 1s/);
  });

  it('an unwritable cache directory', async () => {
    const file = join(world().home.home, 'a-file');
    await writeFile(file, '');
    const result = await world().run(getTokenWith({ '--token-cache-dir': join(file, 'cache') }));
    assertOneLineError(result, /cannot create the token cache directory .*a-file\/cache: a parent is not a directory/);
  });

  it('an unknown flag and a malformed value', async () => {
    assertOneLineError(await world().getToken(['--no-such-flag']), /^error: unknown flag: --no-such-flag$/);
    assertOneLineError(await world().getToken(['--grant-type=magic']), /--grant-type must be one of auto, authcode/);
    assertOneLineError(
      await world().getToken(['--oidc-auth-request-extra-params=novalue']),
      /--oidc-auth-request-extra-params takes key=value pairs/,
    );
  });

  it('shows the stack trace only from -v1', async () => {
    const result = await world().run(getTokenWith({ '--oidc-issuer-url': 'http://127.0.0.1:1' }, ['-v1']));
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /\n\s+at /);
  });
});

describe('--authentication-timeout-sec beyond what a timer can wait', () => {
  const world = worldForAll();

  for (const seconds of [LONGEST_SECONDS + 1, 99_999_999_999]) {
    it(`refuses ${seconds}, naming the flag and the range`, async () => {
      const { result, warnings } = await withProcessWarnings(() =>
        world().getToken([`--authentication-timeout-sec=${seconds}`, '--token-cache-storage=none']),
      );
      assertOneLineError(
        result,
        new RegExp(
          `^error: --authentication-timeout-sec must be between 1 and ${LONGEST_SECONDS} seconds, got ${seconds}$`,
        ),
      );
      assert.doesNotMatch(result.stderr, /TimeoutOverflowWarning/);
      assert.deepEqual(warnings, []);
      assert.equal(await world().browserRuns(), 0);
    });
  }

  it('refuses it in setup too', async () => {
    const args = world().args.filter((arg) => arg !== 'get-token' && !arg.startsWith('--token-cache-dir='));
    assertOneLineError(
      await world().run(['setup', ...args, `--authentication-timeout-sec=${LONGEST_SECONDS + 1}`]),
      /--authentication-timeout-sec must be between 1 and 2147483 seconds/,
    );
  });

  it(`accepts ${LONGEST_SECONDS}`, async () => {
    const { result, warnings } = await withProcessWarnings(() =>
      world().getToken([
        `--authentication-timeout-sec=${LONGEST_SECONDS}`,
        '--grant-type=password',
        '--username=alice',
        `--password=${passwordOf('alice')}`,
        '--token-cache-storage=none',
      ]),
    );
    assertLoggedIn(result);
    assert.equal(result.stderr, '');
    assert.deepEqual(warnings, []);
  });
});
