/** The test provider's users: any login name exists, with claims derived from it. */
import type { Account } from 'oidc-provider';

/** Claims of one user; a key set to `undefined` removes that claim. */
export type UserClaims = Record<string, unknown>;

/** Groups every user belongs to unless overridden. */
const DEFAULT_GROUPS = ['developers'];

/** The claims of `login` before overrides. */
function defaultClaims(login: string): UserClaims {
  return {
    sub: login,
    email: `${login}@example.com`,
    email_verified: true,
    name: login.charAt(0).toUpperCase() + login.slice(1),
    groups: DEFAULT_GROUPS,
  };
}

/**
 * Returns oidc-provider's `findAccount`: every login is an account whose claims are the defaults
 * merged with `overrides[login]`.
 */
export function accountFinder(overrides: Record<string, UserClaims> = {}) {
  return async (_ctx: unknown, login: string): Promise<Account> => {
    const claims = { ...defaultClaims(login), ...overrides[login] };
    return { accountId: login, claims: () => claims };
  };
}
