/**
 * The part of oidc-provider v9's API that the test provider uses. The package ships no types and
 * there is no @types package for v9, so this declares just enough for strict TypeScript.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** A registered client as oidc-provider hands it to configuration functions. */
  export interface Client {
    clientId: string;
    grantTypeAllowed(grantType: string): boolean;
  }

  /** The OAuth/OIDC error oidc-provider throws; the reason is only in `error_detail`. */
  export interface OIDCError extends Error {
    error?: string;
    error_description?: string;
    error_detail?: string;
  }

  /** The Koa context with oidc-provider's per-request state. */
  export interface KoaContextWithOIDC {
    type: string;
    body: unknown;
    oidc: {
      params?: Record<string, unknown>;
      client?: Client;
    };
  }

  /** A stored grant, as passed to the `grant.saved` event. */
  export interface Grant {
    jti: string;
    destroy(): Promise<void>;
  }

  /** An account as returned by `findAccount`. */
  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  /** A lifetime in seconds, fixed or computed per token. */
  export type TTL = number | (() => number);

  /** Client metadata in its registered (snake_case) form. */
  export type ClientMetadata = Record<string, unknown> & { client_id: string };

  /** The configuration keys the test provider sets. */
  export interface Configuration {
    clients?: ClientMetadata[];
    findAccount?: (ctx: KoaContextWithOIDC, sub: string) => Promise<Account | undefined>;
    claims?: Record<string, string[]>;
    conformIdTokenClaims?: boolean;
    cookies?: { keys: string[] };
    features?: Record<string, { enabled: boolean }>;
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client) => Promise<boolean>;
    jwks?: { keys: Record<string, unknown>[] };
    pkce?: { required: () => boolean };
    renderError?: (ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error) => Promise<void>;
    rotateRefreshToken?: () => boolean;
    ttl?: Record<string, TTL>;
  }

  /** A token model's static side. */
  interface TokenModel {
    revokeByGrantId(grantId: string): Promise<void>;
  }

  /** The provider: a Koa application that also emits OIDC events. */
  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly AccessToken: TokenModel;
    readonly RefreshToken: TokenModel;
    readonly Grant: { find(id: string): Promise<Grant | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: 'grant.saved', listener: (grant: Grant) => void): this;
    on(event: 'grant.success' | 'authorization.success', listener: (ctx: KoaContextWithOIDC) => void): this;
    on(
      event: 'grant.error' | 'authorization.error' | 'server_error',
      listener: (ctx: KoaContextWithOIDC, error: OIDCError) => void,
    ): this;
  }
}
