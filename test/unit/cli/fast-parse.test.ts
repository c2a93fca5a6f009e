/**
 * The fast parser of the cache-hit path must read get-token arguments exactly
 * as the commander program does. Commander's values are captured by replacing
 * the get-token action of a real program from buildProgram (Command#action
 * replaces the handler), so no get-token run, file or network is involved.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGetTokenFast } from '../../../src/cli/fast-parse.ts';
import { buildProgram } from '../../../src/cli/program.ts';
import type { Deps } from '../../../src/deps.ts';
import { Logger } from '../../../src/io/logger.ts';
import { Redactor } from '../../../src/io/redact.ts';
import { testDeps } from '../../support/in-process/test-deps.ts';

interface Parsed {
  flags: Record<string, unknown>;
  logLevel: number;
}

function fakeDeps(argv: string[]): Deps {
  return testDeps({ argv, now: () => 0 }).deps;
}

/** Parses `argv` with the commander program and returns the get-token flags and the log level. */
async function parseWithCommander(argv: string[]): Promise<Parsed> {
  const deps = fakeDeps(argv);
  const program = buildProgram({ deps, logger: new Logger({ write: () => undefined }, 0, new Redactor()) });
  const getToken = program.commands.find((command) => command.name() === 'get-token');
  assert.ok(getToken, 'the program has a get-token command');
  let captured: Record<string, unknown> | undefined;
  getToken.action((flags: Record<string, unknown>) => {
    captured = flags;
  });
  await program.parseAsync(argv, { from: 'user' });
  assert.ok(captured, 'the get-token action ran');
  assert.deepEqual(getToken.opts(), captured);
  return { flags: { ...captured }, logLevel: program.opts<{ v: number }>().v };
}

const ISSUER = ['--oidc-issuer-url', 'https://issuer.example.com'];

const SAME_AS_COMMANDER: Array<[string, string[]]> = [
  ['no flags', ['get-token']],
  ['--flag value', ['get-token', ...ISSUER, '--oidc-client-id', 'kubernetes']],
  ['--flag=value', ['get-token', '--oidc-issuer-url=https://issuer.example.com', '--oidc-client-id=kubernetes']],
  [
    'a value containing "="',
    ['get-token', '--oidc-client-secret=a=b=c', '--oidc-redirect-url', 'http://localhost:8000/cb?x=1'],
  ],
  ['an empty value', ['get-token', '--oidc-client-secret=', ...ISSUER]],
  ['a value starting with a dash', ['get-token', '--oidc-client-secret', '-secret-', ...ISSUER]],
  ['the last of a repeated string flag', ['get-token', '--oidc-client-id', 'a', '--oidc-client-id=b']],
  [
    'repeated list flags with commas',
    ['get-token', '--oidc-extra-scope=email,profile', '--oidc-extra-scope', 'groups', '--oidc-extra-scope=a,,b'],
  ],
  ['listen addresses', ['get-token', '--listen-address', '127.0.0.1:0,127.0.0.1:9000', '--listen-address=[::1]:8000']],
  [
    'repeated CA flags without comma splitting',
    [
      'get-token',
      '--certificate-authority',
      '/a.pem',
      '--certificate-authority=/b,c.pem',
      '--certificate-authority-data',
      'QQ==',
    ],
  ],
  [
    'map flags',
    [
      'get-token',
      '--oidc-request-header',
      'a=1,b=2',
      '--oidc-request-header=c=x=y',
      '--oidc-auth-request-extra-params',
      'prompt=consent',
      '--oidc-auth-request-extra-params=a=1',
    ],
  ],
  [
    'bare booleans',
    [
      'get-token',
      '--skip-open-browser',
      '--force-refresh',
      '--oidc-use-access-token',
      '--insecure-skip-tls-verify',
      '--oidc-use-pkce',
    ],
  ],
  [
    'booleans with =true and =false',
    [
      'get-token',
      '--skip-open-browser=false',
      '--force-refresh=true',
      '--oidc-use-access-token=0',
      '--insecure-skip-tls-verify=1',
    ],
  ],
  ['a bare boolean last', ['get-token', ...ISSUER, '--force-refresh']],
  ['choices', ['get-token', '--grant-type', 'device-code', '--oidc-pkce-method=S256', '--token-cache-storage=none']],
  ['numbers', ['get-token', '--authentication-timeout-sec', '30', '--listen-port', '8000', '--listen-port=18000']],
  [
    'deprecated and compatibility flags',
    [
      'get-token',
      '--oidc-redirect-url-hostname',
      '127.0.0.1',
      '--oidc-redirect-url-authcode-keyboard=urn:ietf:wg:oauth:2.0:oob',
      '--tls-renegotiation-once',
      '--tls-renegotiation-freely=false',
    ],
  ],
  [
    'browser and password flags',
    [
      'get-token',
      '--browser-command',
      '/usr/bin/true',
      '--open-url-after-authentication=https://ok.example',
      '--username',
      'alice',
      '--password=p@ss',
    ],
  ],
  ['cache flags', ['get-token', '--token-cache-dir', '/tmp/cache', '--token-cache-storage', 'disk']],
  ['--no-qr, a flag of its own for commander too (not the negation of a --qr)', ['get-token', '--no-qr']],
  ['--no-qr=false and --login-hint', ['get-token', '--no-qr=false', '--login-hint', 'me@example.com']],
  ['-v1', ['get-token', ...ISSUER, '-v1']],
  ['-v 2', ['get-token', '-v', '2', ...ISSUER]],
  ['--v=3', ['get-token', ...ISSUER, '--v=3']],
  ['--v 4', ['get-token', '--v', '4', ...ISSUER]],
  ['-v=5', ['get-token', '-v=5', ...ISSUER]],
  ['the last of several log levels', ['get-token', '-v1', '--v=3']],
];

describe('parseGetTokenFast agrees with the commander program', () => {
  for (const [name, argv] of SAME_AS_COMMANDER) {
    it(`${name}: ${argv.slice(1).join(' ')}`, async () => {
      const fast = parseGetTokenFast(argv);
      assert.ok(fast, 'the fast parser handles these arguments');
      assert.deepEqual(fast, await parseWithCommander(argv));
    });
  }

  it('reads values into the attribute names of the flags', () => {
    const fast = parseGetTokenFast([
      'get-token',
      '--oidc-extra-scope=a,b',
      '--oidc-request-header=k=v',
      '--skip-open-browser',
      '-v1',
    ]);
    assert.deepEqual(fast, {
      flags: { oidcExtraScope: ['a', 'b'], oidcRequestHeader: { k: 'v' }, skipOpenBrowser: true },
      logLevel: 1,
    });
  });

  it('defaults the log level to 0', () => {
    assert.equal(parseGetTokenFast(['get-token', ...ISSUER])?.logLevel, 0);
  });
});

describe('parseGetTokenFast leaves these to commander', () => {
  const LEFT_TO_COMMANDER: Array<[string, string[]]> = [
    ['--help', ['get-token', '--help']],
    ['-h', ['get-token', ...ISSUER, '-h']],
    ['--version', ['get-token', '--version']],
    ['an unknown flag', ['get-token', ...ISSUER, '--nope']],
    ['an unknown flag with a value', ['get-token', '--nope=1']],
    ['a positional argument', ['get-token', ...ISSUER, 'extra']],
    ['a value after a bare boolean', ['get-token', '--force-refresh', 'false']],
    ['a missing value at the end', ['get-token', '--oidc-issuer-url']],
    ['a missing log level', ['get-token', '-v']],
    ['a log level that is not a number', ['get-token', '-v', 'high']],
    ['a malformed boolean', ['get-token', '--skip-open-browser=yes']],
    ['a malformed map value', ['get-token', '--oidc-request-header=novalue']],
    ['a malformed number', ['get-token', '--authentication-timeout-sec=soon']],
    ['a choice not in the list', ['get-token', '--grant-type=implicit']],
    ['the -- separator', ['get-token', '--', ...ISSUER]],
    ['no arguments', []],
    ['another command', ['version']],
    ['a flag before the command', ['-v1', 'get-token', ...ISSUER]],
    ['the setup command', ['setup', ...ISSUER]],
    ['help', ['help', 'get-token']],
  ];

  for (const [name, argv] of LEFT_TO_COMMANDER) {
    it(`${name}: ${argv.join(' ')}`, () => {
      assert.equal(parseGetTokenFast(argv), undefined);
    });
  }

  it('commander rejects the malformed get-token arguments the fast parser declined', async () => {
    const malformed = [
      ['get-token', ...ISSUER, '--nope'],
      ['get-token', ...ISSUER, 'extra'],
      ['get-token', '--oidc-issuer-url'],
      ['get-token', '--skip-open-browser=yes'],
      ['get-token', '--oidc-request-header=novalue'],
      ['get-token', '--grant-type=implicit'],
    ];
    for (const argv of malformed) {
      await assert.rejects(parseWithCommander(argv), Error, argv.join(' '));
    }
  });
});
