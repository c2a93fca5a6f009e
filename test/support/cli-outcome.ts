/** Assertions on how a CLI run ended: logged in, or one `error:` line. */
import assert from 'node:assert/strict';
import { type CliResult, parseExecCredential } from './run-cli.ts';

/** Asserts exit 0 and exactly one ExecCredential with a token on stdout. */
export function assertLoggedIn(result: CliResult): void {
  assert.equal(result.code, 0, `exit code; stderr: ${result.stderr}`);
  assert.ok(parseExecCredential(result.stdout).status.token, 'a token');
}

/** Asserts exit 1, nothing on stdout, one `error:` line matching `pattern` (and at most a hint line), no stack trace. */
export function assertOneLineError(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 1, `exit code; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '', 'nothing on stdout');
  const lines = result.stderr
    .trimEnd()
    .split('\n')
    .filter((line) => !line.startsWith('warning: '));
  assert.ok(lines.length <= 2, `at most an error and a hint line: ${result.stderr}`);
  assert.match(lines[0] as string, /^error: /);
  assert.match(lines[0] as string, pattern);
  if (lines[1] !== undefined) assert.match(lines[1], /^hint: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}
