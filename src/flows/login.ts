/**
 * A new login: choose the grant, check that it can run here, run it.
 */
import type { TokenSet } from '../cache/token-store.ts';
import { InteractionRequiredError } from '../core/errors.ts';
import type { ExecInfo } from '../core/exec-credential.ts';
import type { LoginOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import type { Logger } from '../io/logger.ts';
import { promptLine, promptSecret } from '../io/prompt.ts';
import { loginWithBrowser } from './authcode-browser.ts';
import { loginWithKeyboard } from './authcode-keyboard.ts';
import { loginWithClientCredentials } from './client-credentials.ts';
import { loginWithDeviceCode } from './device-code.ts';
import { chooseGrant, type ConcreteGrant } from './grant-choice.ts';
import { canPrompt, whyNoBrowser } from './interaction.ts';
import { loginWithPassword } from './password.ts';
import type { ProviderSession } from '../provider/session.ts';

/** Where the login happens. */
export interface LoginContext {
  deps: Deps;
  execInfo: ExecInfo;
  logger: Logger;
}

/** Resolves `auto` and says on stderr which flow it chose and why. */
export function resolveGrant(session: ProviderSession, options: LoginOptions, context: LoginContext): ConcreteGrant {
  const choice = chooseGrant(options, session, context.deps);
  if (choice.reason !== undefined) context.logger.info(`Using the ${choice.grant} flow: ${choice.reason}.`);
  return choice.grant;
}

/** Fails at once when a flow would wait on stdin that nobody can type into. */
function requireTerminal(context: LoginContext, what: string, alternative: string): void {
  if (!canPrompt(context.execInfo, context.deps)) {
    throw new InteractionRequiredError(`${what} needs a terminal, and this run has none (stdin is not a terminal or kubectl said it is not interactive)`, {
      hint: alternative,
    });
  }
}

/** Takes a value from a flag, or asks for it on the terminal. */
async function flagOrPrompt(value: string | undefined, flag: string, ask: () => Promise<string>, context: LoginContext): Promise<string> {
  if (value !== undefined) return value;
  requireTerminal(context, `typing the missing ${flag}`, `pass ${flag}, or run the command in a terminal`);
  return ask();
}

/** Logs in with the given concrete grant. */
export async function login(session: ProviderSession, options: LoginOptions, grant: ConcreteGrant, context: LoginContext): Promise<TokenSet> {
  const { deps, logger } = context;
  switch (grant) {
    case 'authcode':
      return loginWithBrowser(session, options.browser, logger);
    case 'device-code':
      return loginWithDeviceCode(session, { browser: options.browser, noBrowser: whyNoBrowser(options.browser, deps), stderr: deps.stderr }, logger);
    case 'authcode-keyboard':
      requireTerminal(context, '--grant-type=authcode-keyboard (pasting the code)', 'run `kubelogin get-token` in a terminal, or use --grant-type=device-code');
      return loginWithKeyboard(session, options.browser.redirectUrl, { stdin: deps.stdin(), stderr: deps.stderr }, logger);
    case 'password': {
      const username = await flagOrPrompt(options.username, '--username', () => promptLine('Username: ', deps.stdin(), deps.stderr), context);
      const password = await flagOrPrompt(options.password, '--password', () => promptSecret('Password: ', deps.stdin(), deps.stderr), context);
      return loginWithPassword(session, username, password, logger);
    }
    case 'client-credentials':
      return loginWithClientCredentials(session, logger);
  }
}
