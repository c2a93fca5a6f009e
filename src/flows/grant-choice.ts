/**
 * Which grant a login uses: `--grant-type`, or for `auto` the one that can
 * work here.
 */
import { type GrantType, type LoginOptions, usesPasswordGrant } from '../core/options.ts';
import type { Deps } from '../deps.ts';
import { whyNoBrowser } from './interaction.ts';
import type { ProviderSession } from '../provider/session.ts';

/** A concrete grant: what `auto` resolves to. */
export type ConcreteGrant = Exclude<GrantType, 'auto'>;

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
  if (options.grantType !== 'auto') return { grant: options.grantType, reason: undefined };
  if (usesPasswordGrant(options)) return { grant: 'password', reason: '--username was given' };
  const noBrowser = whyNoBrowser(options.browser, deps);
  if (noBrowser === undefined) return { grant: 'authcode', reason: undefined };
  if (session.metadata.device_authorization_endpoint) {
    return { grant: 'device-code', reason: `no browser can be opened (${noBrowser})` };
  }
  return { grant: 'authcode', reason: `no browser can be opened (${noBrowser}) and the provider has no device authorization endpoint` };
}

/** True for the grants that send the person to a browser. */
export function usesBrowser(grant: ConcreteGrant): boolean {
  return grant === 'authcode' || grant === 'device-code';
}
