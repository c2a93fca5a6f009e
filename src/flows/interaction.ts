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

/** Why no browser can be opened here, or undefined when one can. A --browser-command always can. */
export function whyNoBrowser(browser: BrowserLoginOptions, deps: Deps): string | undefined {
  if (browser.browserCommand !== undefined) return undefined;
  const env = deps.env;
  const display = env['DISPLAY'] || env['WAYLAND_DISPLAY'];
  if ((env['SSH_CONNECTION'] || env['SSH_TTY']) && !display)
    return 'this is an SSH session without a forwarded display';
  if (deps.platform === 'linux' && !display) return 'neither DISPLAY nor WAYLAND_DISPLAY is set';
  return undefined;
}
