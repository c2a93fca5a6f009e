/**
 * What a run may do with the person in front of it: prompt on stdin, open a
 * browser. kubectl runs plugins from IDEs and dashboards too, where nobody
 * can answer.
 */
import type { ExecInfo } from '../core/exec-credential.ts';
import type { BrowserLoginOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';

/**
 * True when stdin is a terminal and kubectl (if it ran us) said the run is
 * interactive: kubectl hands a non-interactive plugin an empty stdin.
 */
export function canPrompt(execInfo: ExecInfo, deps: Deps): boolean {
  return deps.stdin().isTTY === true && (!execInfo.fromKubectl || execInfo.interactive);
}

/**
 * True when a person is at a terminal: then a run may always try a login.
 * With interactiveMode Never kubectl hands over an empty stdin even in a
 * terminal, but its stderr still goes straight to that terminal.
 */
export function isTerminalRun(execInfo: ExecInfo, deps: Deps): boolean {
  return deps.stdin().isTTY === true || execInfo.interactive || deps.stderr.isTTY === true;
}

/**
 * True on Windows Subsystem for Linux (WSL sets these in every session):
 * `open` starts the Windows default browser through PowerShell there, with no
 * display, and Windows reaches the loopback server through localhost.
 */
export function isWsl(deps: Pick<Deps, 'env' | 'platform'>): boolean {
  return deps.platform === 'linux' && Boolean(deps.env['WSL_DISTRO_NAME'] || deps.env['WSL_INTEROP']);
}

/** Variables that dev containers (VS Code's, GitHub Codespaces) and container runtimes set inside. */
const CONTAINER_VARIABLES = ['container', 'REMOTE_CONTAINERS', 'CODESPACES', 'KUBERNETES_SERVICE_HOST'];

/** True inside a container: a marker file of its engine, or a variable its runtime sets. */
function inContainer(deps: Pick<Deps, 'env' | 'insideContainer'>): boolean {
  return CONTAINER_VARIABLES.some((name) => deps.env[name]) || deps.insideContainer();
}

/**
 * Why no browser can be opened here, or undefined when one can. A
 * --browser-command always can, and so can BROWSER (which xdg-open runs when
 * there is no desktop; VS Code points it at the host's browser) and WSL.
 */
export function whyNoBrowser(browser: BrowserLoginOptions, deps: Deps): string | undefined {
  if (browser.browserCommand !== undefined) return undefined;
  const env = deps.env;
  if (env['BROWSER'] || isWsl(deps)) return undefined;
  const display = env['DISPLAY'] || env['WAYLAND_DISPLAY'];
  if ((env['SSH_CONNECTION'] || env['SSH_TTY']) && !display)
    return 'this is an SSH session without a forwarded display';
  if (deps.platform === 'linux' && !display) {
    return inContainer(deps) ? 'this is a container without a display' : 'neither DISPLAY nor WAYLAND_DISPLAY is set';
  }
  return undefined;
}
