/**
 * The resource owner password credentials grant (RFC 6749 section 4.3), which oidc-provider does not
 * implement: a handler registered with `provider.registerGrantType` that builds the grant and its
 * tokens with the provider's own models, as its built-in grants do.
 */
import type Provider from 'oidc-provider';
import type { Account, KoaContextWithOIDC, errors as ProviderErrors } from 'oidc-provider';
import { resourceServerInfo } from './jwt-access-tokens.ts';
import type { RefreshTokenRule } from './refresh-token-policy.ts';
import { PASSWORD_GRANT } from './test-clients.ts';

/** The form fields of a password grant request besides grant_type and client authentication. */
const PASSWORD_GRANT_PARAMETERS = ['username', 'password', 'scope'];
/** The scope that makes a token response carry an ID token. */
const OPENID = 'openid';

/** The only password the test provider accepts for `user`. */
export function passwordOf(user: string): string {
  return `password-of-${user}`;
}

/** What the handler needs from the provider's configuration. */
export interface PasswordGrantDependencies {
  /** oidc-provider's error classes (the module's `errors` export). */
  errors: typeof ProviderErrors;
  findAccount: (ctx: KoaContextWithOIDC, login: string) => Promise<Account>;
  /** Whether the response carries a refresh token, as for the other grants. */
  issueRefreshToken: RefreshTokenRule;
  /** The resource whose JWT access token the client gets; an opaque token when undefined. */
  defaultResource: (client: NonNullable<KoaContextWithOIDC['oidc']['client']>) => string | undefined;
}

function stringParam(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = ctx.oidc.params?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Adds the `password` grant to `provider`. Any login exists; its password is {@link passwordOf}
 * the login, anything else gets invalid_grant (the reason in `error_detail`). oidc-provider has
 * already checked that the client may use the grant. The response has an access token, an ID
 * token when `openid` is asked for, and a refresh token per `issueRefreshToken`; the refresh token
 * works with the provider's own refresh_token grant.
 */
export function registerPasswordGrant(provider: Provider, deps: PasswordGrantDependencies): void {
  const { errors } = deps;
  provider.registerGrantType(
    PASSWORD_GRANT,
    async (ctx) => {
      const client = ctx.oidc.client;
      if (client === undefined) throw new errors.InvalidRequest('no client');
      const username = stringParam(ctx, 'username');
      const password = stringParam(ctx, 'password');
      if (username === undefined || password === undefined)
        throw new errors.InvalidRequest('username and password are required');
      if (password !== passwordOf(username)) throw new errors.InvalidGrant(`wrong password for ${username}`);
      const scopes = (stringParam(ctx, 'scope') ?? '').split(' ').filter((scope) => scope !== '');
      const allowed = client.scope === undefined ? undefined : new Set(client.scope.split(' '));
      const refused = scopes.find((scope) => allowed !== undefined && !allowed.has(scope));
      if (refused !== undefined) throw new errors.InvalidScope(`requested scope is not allowed: ${refused}`);
      const scope = scopes.join(' ');

      const account = await deps.findAccount(ctx, username);
      const { accountId } = account;
      const grant = new provider.Grant({ accountId, clientId: client.clientId });
      grant.addOIDCScope(scope);
      const grantId = await grant.save();
      const base = { accountId, client, grantId, gty: PASSWORD_GRANT };

      const resource = deps.defaultResource(client);
      const accessToken = new provider.AccessToken(base);
      if (resource === undefined) accessToken.scope = grant.getOIDCScopeFiltered(new Set(scopes));
      else accessToken.resourceServer = new provider.ResourceServer(resource, resourceServerInfo(resource));

      const authTime = Math.floor(Date.now() / 1000);
      const refreshToken = deps.issueRefreshToken(client, new Set(scopes))
        ? new provider.RefreshToken({ ...base, scope, resource, rotations: 0, authTime })
        : undefined;

      let idToken: string | undefined;
      if (scopes.includes(OPENID)) {
        const claims = await account.claims('id_token', scope);
        const token = new provider.IdToken({ ...claims, auth_time: authTime }, { ctx });
        token.scope = scope;
        idToken = await token.issue({ use: 'idtoken' });
      }

      ctx.body = {
        access_token: await accessToken.save(),
        expires_in: accessToken.expiration,
        token_type: 'Bearer',
        ...(accessToken.scope ? { scope: accessToken.scope } : {}),
        ...(idToken === undefined ? {} : { id_token: idToken }),
        ...(refreshToken === undefined ? {} : { refresh_token: await refreshToken.save() }),
      };
    },
    PASSWORD_GRANT_PARAMETERS,
  );
}
