/**
 * Shell completion on a real terminal, in bash, zsh and fish: TAB after
 * `kubelogin get-token --grant-type=` lists the grant types (the script of
 * `kubelogin completion <shell>`), and `kubectl oidc-login get-<TAB>` completes
 * through kubectl's own completion, which runs `kubectl_complete-oidc_login`
 * (the npm package's, or the release archive's script unpacked beside a
 * standalone executable).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GRANT_TYPES } from '../../src/core/options.ts';
import { CLI, linkCli, NPM_CLI } from '../support/cli-command.ts';
import { type PtyResult, runCommandInPty } from '../support/run-in-pty.ts';
import { worldForAll } from '../support/world.ts';

/** The prompt of every shell here: what says it waits for typing. */
const PROMPT = 'completion-test> ';
/** A shell may take a while to start, and each TAB runs the CLI (and kubectl) once. */
const SHELL_TIMEOUT_MS = 30_000;
/** kubectl's bash completion needs bash-completion's helpers. */
const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';
/** The machine's kubectl (1.26+ runs plugins' completion executables). */
const KUBECTL = '/usr/bin/kubectl';
/** kubectl's completion executable of the plugin: npm's bin entry, or the archive's script beside a standalone build. */
const KUBECTL_COMPLETE =
  CLI === NPM_CLI
    ? fileURLToPath(new URL('../../bin/kubectl_complete-oidc_login.cjs', import.meta.url))
    : join(dirname(CLI.executable), 'kubectl_complete-oidc_login');

/** How to start each shell interactively without the user's files, with {@link PROMPT}, and load a completion. */
const SHELLS = {
  bash: {
    path: '/usr/bin/bash',
    package: 'bash',
    args: ['--norc', '--noprofile', '-i'],
    load: (program: string) =>
      program === 'kubectl'
        ? `source ${BASH_COMPLETION}; source <(kubectl completion bash)`
        : `source <(${program} completion bash)`,
  },
  zsh: {
    path: '/usr/bin/zsh',
    package: 'zsh',
    args: ['-f', '-i'],
    load: (program: string) => `autoload -U compinit; compinit -u; source <(${program} completion zsh)`,
  },
  fish: {
    path: '/usr/bin/fish',
    package: 'fish',
    args: ['--no-config', '-i', '-C', `function fish_prompt; printf '${PROMPT}'; end`],
    load: (program: string) => `${program} completion fish | source`,
  },
} as const;

/** A regular expression that matches once every word has shown up, in any order. */
function allOf(words: readonly string[]): RegExp {
  return new RegExp(`^${words.map((word) => `(?=[\\s\\S]*${word.replace(/[-]/g, '\\-')})`).join('')}`);
}

describe('shell completion on a terminal', () => {
  const world = worldForAll({ runner: 'subprocess', provider: false });
  let env: NodeJS.ProcessEnv;

  before(async () => {
    const bin = join(world().home.home, 'bin');
    await mkdir(bin);
    const dirs = [...(await linkCli(bin, 'kubelogin')), ...(await linkCli(bin, 'kubectl-oidc_login'))];
    await symlink(KUBECTL_COMPLETE, join(bin, 'kubectl_complete-oidc_login'));
    env = { ...world().env, PATH: [...new Set(dirs), '/usr/bin', '/bin'].join(delimiter), PS1: PROMPT, TERM: 'xterm' };
    delete env['PROMPT_COMMAND'];
  });

  /** Starts a shell, loads the completion of `program`, types `line` and waits for `expect`. */
  async function typeInShell(shell: keyof typeof SHELLS, program: string, line: string, expect: RegExp) {
    const { path, args, load, package: name } = SHELLS[shell];
    assert.ok(existsSync(path), `${path} is missing: apt-get install ${name} (.ci/run does)`);
    if (program === 'kubectl') assert.ok(existsSync(KUBECTL), `${KUBECTL} is missing: the test needs kubectl 1.26+`);
    if (shell === 'bash' && program === 'kubectl')
      assert.ok(existsSync(BASH_COMPLETION), `${BASH_COMPLETION} is missing: apt-get install bash-completion`);
    const result: PtyResult = await runCommandInPty([path, ...args], {
      env,
      timeoutMs: SHELL_TIMEOUT_MS,
      steps: [
        { expect: new RegExp(PROMPT), send: `${load(program)}\r` },
        { expect: new RegExp(PROMPT), send: line },
        // Ctrl-U drops the line (typed keys wait for a completion still running, unlike Ctrl-C's signal); then the shell is left.
        { expect, send: '\x15exit\r' },
      ],
    });
    assert.equal(result.pendingSteps, 0, `${shell} never showed what was expected:\n${result.output}`);
    return result;
  }

  for (const shell of Object.keys(SHELLS) as (keyof typeof SHELLS)[]) {
    it(`${shell}: kubelogin get-token --grant-type=<TAB><TAB> lists every grant type`, async () => {
      await typeInShell(shell, 'kubelogin', 'kubelogin get-token --grant-type=\t\t', allOf(GRANT_TYPES));
    });

    it(`${shell}: kubectl oidc-login get-<TAB> completes get-token through kubectl_complete-oidc_login, and its flags' values`, async () => {
      await typeInShell(shell, 'kubectl', 'kubectl oidc-login get-\t', /get-token/);
      await typeInShell(
        shell,
        'kubectl',
        'kubectl oidc-login get-token --token-cache-storage=\t\t',
        allOf(['disk', 'keyring', 'none']),
      );
    });
  }

  it('kubectl-oidc_login completes as kubelogin does (bash)', async () => {
    await typeInShell('bash', 'kubectl-oidc_login', 'kubectl-oidc_login who\t', /whoami/);
  });
});
