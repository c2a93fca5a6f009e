/**
 * Shell completion's answers (`kubelogin __complete ...`), checked against the
 * command and flag tables they are made from, and the scripts of
 * `kubelogin completion <shell>`, through main(deps).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS, COMPLETION_SHELLS } from '../../../src/cli/command-table.ts';
import { type Completion, complete, DIRECTIVE, formatCompletion } from '../../../src/cli/complete.ts';
import { GRANT_TYPES } from '../../../src/core/options.ts';
import type { FlagSpec } from '../../../src/flags/flag-specs.ts';
import { main } from '../../../src/main.ts';
import { testDeps } from '../../support/in-process/test-deps.ts';

const values = (completion: Completion) => completion.candidates.map((candidate) => candidate.value);

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = testDeps({ argv });
  const code = await main(captured.deps);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('completion of commands and flags', () => {
  it('offers every command, with its description, to the first word', () => {
    const completion = complete([], '');
    assert.deepEqual(
      values(completion),
      COMMANDS.map((command) => command.name),
    );
    assert.match(completion.candidates[0]?.description ?? '', /ExecCredential/);
    assert.equal(completion.directive, DIRECTIVE.noFileComp);
    assert.deepEqual(values(complete([], 'get-')), ['get-token']);
    assert.deepEqual(values(complete(['-v', '1'], 'wh')), ['whoami']);
  });

  for (const command of COMMANDS) {
    const visible = (command.flags as readonly FlagSpec[]).filter((spec) => !spec.hidden);
    it(`offers each visible flag of ${command.name}, and no hidden one`, () => {
      const offered = values(complete([command.name], '--'));
      assert.deepEqual(offered, [...visible.map((spec) => `--${spec.name}`), '--v']);
    });

    for (const spec of visible) {
      if (spec.kind === 'choice') {
        it(`completes ${command.name} --${spec.name}'s values, after = and after a space`, () => {
          assert.deepEqual(values(complete([command.name], `--${spec.name}=`)), spec.choices);
          assert.deepEqual(values(complete([command.name, `--${spec.name}`], '')), spec.choices);
        });
      }
      if (spec.value === '<file>') {
        it(`leaves ${command.name} --${spec.name}'s value to the shell's file names`, () => {
          assert.deepEqual(complete([command.name], `--${spec.name}=`), {
            candidates: [],
            directive: DIRECTIVE.default,
          });
        });
      }
      if (spec.value === '<dir>') {
        it(`leaves ${command.name} --${spec.name}'s value to the shell's directory names`, () => {
          assert.deepEqual(complete([command.name, `--${spec.name}`], ''), {
            candidates: [],
            directive: DIRECTIVE.filterDirs,
          });
        });
      }
    }
  }

  it('completes the grant types after --grant-type= by what was typed', () => {
    assert.deepEqual(values(complete(['get-token'], '--grant-type=')), GRANT_TYPES);
    assert.deepEqual(values(complete(['get-token'], '--grant-type=token-')), ['token-file', 'token-exchange']);
  });

  it("completes whoami's -o and the shells of completion", () => {
    assert.deepEqual(values(complete(['whoami', '-o'], '')), ['text', 'json']);
    assert.deepEqual(values(complete(['whoami'], '-o=j')), ['json']);
    assert.deepEqual(values(complete(['completion'], '')), [...COMPLETION_SHELLS]);
    assert.deepEqual(values(complete(['completion', 'bash'], '')), ['--v']);
  });

  it('offers a flag given already only when it may be repeated', () => {
    const offered = values(complete(['get-token', '--grant-type=password', '--oidc-extra-scope=email'], '--'));
    assert.ok(!offered.includes('--grant-type'));
    assert.ok(offered.includes('--oidc-extra-scope'));
    assert.ok(!offered.includes('--listen-port'), 'a hidden flag');
  });

  it('offers booleans true and false only after =, and nothing for free text', () => {
    assert.deepEqual(values(complete(['get-token'], '--force-refresh=')), ['true', 'false']);
    assert.deepEqual(values(complete(['get-token', '--force-refresh'], '--gr')), ['--grant-type']);
    assert.deepEqual(complete(['get-token', '--oidc-issuer-url'], ''), {
      candidates: [],
      directive: DIRECTIVE.noFileComp,
    });
    assert.deepEqual(complete(['no-such-command'], ''), { candidates: [], directive: DIRECTIVE.noFileComp });
  });

  it("writes cobra's protocol: value, a tab and the description per line, then :directive", () => {
    assert.equal(
      formatCompletion({ candidates: [{ value: 'a', description: 'one\nline' }, { value: 'b' }], directive: 4 }),
      'a\tone line\nb\n:4\n',
    );
  });
});

describe('the completion commands through main', () => {
  it('answers __complete without the commander program, as kubectl_complete-oidc_login is answered', async () => {
    const result = await run(['__complete', 'get-token', '--oidc-pkce-method=']);
    assert.deepEqual(result, { code: 0, stdout: 'auto\nno\nS256\n:4\n', stderr: '' });
  });

  for (const shell of COMPLETION_SHELLS) {
    it(`prints the ${shell} script, which asks __complete for both executable names`, async () => {
      const result = await run(['completion', shell]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /__complete/);
      assert.match(result.stdout, /kubelogin/);
      assert.match(result.stdout, /kubectl-oidc_login/);
    });
  }

  it('refuses a shell it has no script for, in one line naming the argument', async () => {
    const result = await run(['completion', 'tcsh']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^error: .*'tcsh'.*shell.*bash, zsh, fish, powershell/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});
