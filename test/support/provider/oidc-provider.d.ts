/**
 * The part of oidc-provider v9's API that the test provider uses. The package ships no types and
 * there is no @types package for v9, so this declares just enough for strict TypeScript.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** A registered client as oidc-provider hands it to configuration functions. */
  export interface Client {
    clientId: string;
    /** The scopes the client may ask for, space-separated; unset means any. */
    scope?: string;
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
    /** The request's method and path, as they arrived. */
    method: string;
    path: string;
    type: string;
    body: unknown;
    status: number;
    /** Request headers, lower-case names. */
    headers: Record<string, string | string[] | undefined>;
    /** The request as Node gives it: its body is still unread before the provider's routes run, and a middleware may drop its socket, as an unreachable server would. */
    req: IncomingMessage;
    /** True when the request's content type is `type`. */
    is(type: string): string | false | null;
    oidc: {
      /** The name of the provider route that handled the request, e.g. `token`. */
      route?: string;
      /** The parameters the route accepted (others are dropped). */
      params?: Record<string, unknown>;
      /** The whole parsed form body, unknown parameters included. */
      body?: Record<string, string | string[]>;
      client?: Client;
      /** Models the request loaded or created, by kind (`Grant`, `AccessToken`, ...). */
      entities: Record<string, { jti?: string } | undefined>;
    };
  }

  /** A Koa middleware as `provider.use` takes it. */
  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  /** A stored grant: what an account allowed a client. */
  export interface Grant {
    jti: string;
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    getOIDCScopeFiltered(filter: Set<string>): string;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }

  /** How tokens meant for one resource server are made (`getResourceServerInfo`'s result). */
  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string } };
  }

  /** A resource server as tokens refer to it. */
  export interface ResourceServer extends ResourceServerInfo {
    identifier(): string;
  }

  /** What access and refresh tokens are made from. */
  export interface TokenInit {
    accountId: string;
    client: Client;
    grantId: string;
    gty: string;
    scope?: string;
    resource?: string;
    rotations?: number;
    authTime?: number;
  }

  /** An access or refresh token before it is saved. */
  export interface Token {
    kind: string;
    accountId?: string;
    scope?: string;
    resourceServer?: ResourceServer;
    /** Lifetime in seconds. */
    readonly expiration: number;
    /** Stores the token and resolves with its value. */
    save(): Promise<string>;
  }

  /** An ID token before it is signed. */
  export interface IdToken {
    scope: string;
    issue(options: { use: 'idtoken' }): Promise<string>;
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
    features?: Record<string, { enabled: boolean } & Record<string, unknown>>;
    extraTokenClaims?: (ctx: KoaContextWithOIDC, token: Token) => Promise<Record<string, unknown> | undefined>;
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client, source: { scopes: Set<string> }) => Promise<boolean>;
    jwks?: { keys: Record<string, unknown>[] };
    pkce?: { required: () => boolean };
    renderError?: (ctx: KoaContextWithOIDC, out: Record<string, string>, error: Error) => Promise<void>;
    rotateRefreshToken?: () => boolean;
    ttl?: Record<string, TTL>;
  }

  /** A token model's static side. */
  interface TokenModel {
    new (init: TokenInit): Token;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  /** The OAuth errors, each with the reason as its first argument (`error_detail` or description). */
  export const errors: Record<
    'InvalidGrant' | 'InvalidRequest' | 'InvalidScope' | 'InvalidTarget' | 'UnauthorizedClient',
    new (detail?: string) => OIDCError
  >;

  /** The provider: a Koa application that also emits OIDC events. */
  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly AccessToken: TokenModel;
    readonly RefreshToken: TokenModel;
    readonly Grant: {
      new (init: { accountId: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    readonly IdToken: new (claims: Record<string, unknown>, options: { ctx: KoaContextWithOIDC }) => IdToken;
    readonly ResourceServer: new (identifier: string, info: ResourceServerInfo) => ResourceServer;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    /** Adds a Koa middleware in front of the provider's routes; call before `callback()`. */
    use(middleware: Middleware): this;
    /** Adds a token endpoint grant; `parameters` are the form fields it accepts besides grant_type. */
    registerGrantType(name: string, handler: (ctx: KoaContextWithOIDC) => Promise<void>, parameters: string[]): void;
    on(event: 'grant.saved', listener: (grant: Grant) => void): this;
    on(event: 'grant.success' | 'authorization.success', listener: (ctx: KoaContextWithOIDC) => void): this;
    on(
      event: 'grant.error' | 'authorization.error' | 'device_authorization.error' | 'server_error',
      listener: (ctx: KoaContextWithOIDC, error: OIDCError) => void,
    ): this;
  }
}
