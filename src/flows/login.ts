/**
 * A new login: choose the grant (`--grant-type`, or for `auto` the one that
 * can work here), check that it can run here, run it.
 */
import type { TokenSet } from '../core/credential.ts';
import { InteractionRequiredError, UsageError } from '../core/errors.ts';
import type { ExecInfo } from '../core/exec-credential.ts';
import type { Grant, LoginOptions } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import { promptLine, promptSecret } from '../io/prompt.ts';
import type { ProviderSession } from '../provider/session.ts';
import { loginWithBrowser } from './authcode-browser.ts';
import { loginWithKeyboard } from './authcode-keyboard.ts';
import { loginWithClientCredentials } from './client-credentials.ts';
import { loginWithDeviceCode } from './device-code.ts';
import { loginWithGitHubActions } from './github-actions.ts';
import { canPrompt, whyNoBrowser } from './interaction.ts';
import { loginWithPassword } from './password.ts';
import { loginWithTokenExchange } from './token-exchange.ts';

/** Where the login happens. */
export interface LoginContext {
  deps: Deps;
  execInfo: ExecInfo;
}

/** A concrete grant: what `auto` resolves to. */
export type ConcreteGrant = Exclude<Grant, { type: 'auto' }>;

/** The grant and, for `auto`, why it was chosen. */
export interface GrantChoice {
  grant: ConcreteGrant;
  reason: string | undefined;
}

/**
 * Resolves `auto`: the password grant when --username is given; else the
 * browser when one can be used; else the device code flow when the provider
 * offers it; else the browser flow, printing the URL for the person to open.
 */
export function chooseGrant(options: LoginOptions, session: ProviderSession, deps: Deps): GrantChoice {
  const { grant } = options;
  if (grant.type !== 'auto') return { grant, reason: undefined };
  const { username, password, exchangeAudience } = grant;
  if (username !== undefined) {
    return { grant: { type: 'password', username, password, exchangeAudience }, reason: '--username was given' };
  }
  const noBrowser = whyNoBrowser(options.browser, deps);
  if (noBrowser === undefined) return { grant: { type: 'authcode', exchangeAudience }, reason: undefined };
  if (session.metadata.device_authorization_endpoint) {
    return { grant: { type: 'device-code', exchangeAudience }, reason: `no browser can be opened (${noBrowser})` };
  }
  return {
    grant: { type: 'authcode', exchangeAudience },
    reason: `no browser can be opened (${noBrowser}) and the provider has no device authorization endpoint`,
  };
}

/** True for the grants that send the person to a browser. */
export function usesBrowser(grant: ConcreteGrant): boolean {
  switch (grant.type) {
    case 'authcode':
    case 'device-code':
      return true;
    case 'authcode-keyboard':
    case 'password':
    case 'client-credentials':
    case 'token-file':
    case 'github-actions':
    case 'token-exchange':
      return false;
  }
}

/** True for the grants that need a person (a browser, a code, a password); false for those of CI jobs and workloads. */
export function needsPerson(grant: ConcreteGrant): boolean {
  switch (grant.type) {
    case 'authcode':
    case 'authcode-keyboard':
    case 'device-code':
    case 'password':
      return true;
    case 'client-credentials':
    case 'token-file':
    case 'github-actions':
    case 'token-exchange':
      return false;
  }
}

/** Resolves `auto` and says on stderr which flow it chose and why. */
export function resolveGrant(session: ProviderSession, options: LoginOptions, context: LoginContext): ConcreteGrant {
  const choice = chooseGrant(options, session, context.deps);
  if (choice.reason !== undefined) session.logger.info(`Using the ${choice.grant.type} flow: ${choice.reason}.`);
  return choice.grant;
}

/** Fails at once when a flow would wait on stdin that nobody can type into. */
function requireTerminal(context: LoginContext, what: string, alternative: string): void {
  if (!canPrompt(context.execInfo, context.deps)) {
    throw new InteractionRequiredError(
      `${what} needs a terminal, and this run has none (stdin is not a terminal or kubectl said it is not interactive)`,
      {
        hint: alternative,
      },
    );
  }
}

/** Takes a value from a flag, or asks for it on the terminal. */
async function flagOrPrompt(
  value: string | undefined,
  flag: string,
  ask: () => Promise<string>,
  context: LoginContext,
): Promise<string> {
  if (value !== undefined) return value;
  requireTerminal(context, `typing the missing ${flag}`, `pass ${flag}, or run the command in a terminal`);
  return ask();
}

/** Logs in with the given concrete grant. */
export async function login(
  session: ProviderSession,
  options: LoginOptions,
  grant: ConcreteGrant,
  context: LoginContext,
): Promise<TokenSet> {
  const { deps } = context;
  switch (grant.type) {
    case 'authcode':
      return loginWithBrowser(session, options.browser, {
        openBrowser: deps.openBrowser,
        noBrowser: whyNoBrowser(options.browser, deps),
        terminal: canPrompt(context.execInfo, deps) ? { stdin: deps.stdin(), stderr: deps.stderr } : undefined,
        stderr: deps.stderr,
      });
    case 'device-code':
      return loginWithDeviceCode(session, {
        browser: options.browser,
        noBrowser: whyNoBrowser(options.browser, deps),
        stderr: deps.stderr,
        openBrowser: deps.openBrowser,
      });
    case 'authcode-keyboard':
      requireTerminal(
        context,
        '--grant-type=authcode-keyboard (pasting the code)',
        'run `kubelogin get-token` in a terminal, or use --grant-type=device-code',
      );
      return loginWithKeyboard(session, options.browser.redirectUrl, { stdin: deps.stdin(), stderr: deps.stderr });
    case 'password': {
      const username = await flagOrPrompt(
        grant.username,
        '--username',
        () => promptLine('Username: ', deps.stdin(), deps.stderr),
        context,
      );
      const password = await flagOrPrompt(
        grant.password,
        '--password',
        () => promptSecret('Password: ', deps.stdin(), deps.stderr),
        context,
      );
      return loginWithPassword(session, username, password);
    }
    case 'client-credentials':
      return loginWithClientCredentials(session);
    case 'github-actions':
      return loginWithGitHubActions(session, deps.env);
    case 'token-exchange':
      return loginWithTokenExchange(session, grant.subjectToken, deps.env);
    case 'token-file':
      // get-token reads the file before any login; nothing else logs in with it.
      throw new UsageError('--grant-type=token-file reads --token-file and logs in nowhere');
  }
}
