/**
 * The connection to the provider: discovery, client authentication and token
 * verification, every request through the client of http.ts.
 */
import * as client from 'openid-client';
import { ConfigError } from '../core/errors.ts';
import type { ProviderOptions } from '../core/options.ts';
import type { Logger } from '../io/logger.ts';
import { clientAuthentication } from './client-auth.ts';
import { describeProviderError } from './errors.ts';
import { createProviderHttp, type ProviderHttp } from './http.ts';
import { requireHttpsEndpoints, requireHttpsOverride } from './https-endpoints.ts';
import { TokenVerifier } from './token-verifier.ts';

/** A discovered provider, ready for grants. */
export interface ProviderSession {
  config: client.Configuration;
  metadata: client.ServerMetadata;
  options: ProviderOptions;
  verifier: TokenVerifier;
  /** The HTTP client of the provider, for requests beside openid-client's (GitHub's token service of the github-actions grant, whose issuer the provider is). */
  http: ProviderHttp;
  /**
   * The HTTP client of services other than the provider (GitHub's token
   * service, asked for a token to exchange at the provider): the system's
   * trust and the proxies of the environment, without the CA flags,
   * skip-verify and request headers, which are the provider's.
   */
  serviceHttp: ProviderHttp;
  /** Host of the issuer, for error messages. */
  host: string;
  /** Scopes sent: the extras in order, then `openid`. */
  scopes: string;
  /** Where the grants log; its redactor hides every secret they see. */
  logger: Logger;
  /** The clock, in milliseconds since the epoch. */
  now: () => number;
}

/** What a connection to the provider takes from the world. */
export interface ProviderWorld {
  /** The proxy variables are read from it. */
  env: NodeJS.ProcessEnv;
  now: () => number;
  logger: Logger;
}

/** The flag that gives the device authorization endpoint. */
const DEVICE_ENDPOINT_FLAG = '--oidc-device-authorization-endpoint';

/**
 * The discovered metadata with `--oidc-device-authorization-endpoint` in it,
 * when given: where discovery names none (GitLab lists the device grant but
 * not its endpoint) or instead of the one it names. Only this endpoint can be
 * given: the token endpoint, which every token comes from, is always
 * discovery's.
 */
function withDeviceEndpoint(
  metadata: client.ServerMetadata,
  issuer: URL,
  endpoint: string | undefined,
  logger: Logger,
): client.ServerMetadata {
  if (endpoint === undefined) return metadata;
  requireHttpsOverride(issuer, DEVICE_ENDPOINT_FLAG, endpoint);
  const discovered = metadata.device_authorization_endpoint;
  logger.debug(
    discovered === undefined
      ? `the provider names no device authorization endpoint; using ${endpoint} of ${DEVICE_ENDPOINT_FLAG}`
      : `using the device authorization endpoint ${endpoint} of ${DEVICE_ENDPOINT_FLAG} instead of ${discovered}`,
  );
  return { ...metadata, device_authorization_endpoint: endpoint };
}

/** Discovers the provider at `--oidc-issuer-url`; the discovered issuer must equal it. */
export async function connectProvider(
  options: ProviderOptions,
  { env, now, logger }: ProviderWorld,
): Promise<ProviderSession> {
  const issuer = new URL(options.issuerUrl);
  const http = await createProviderHttp(options, logger, env);
  // openid-client takes its per-request deadline in seconds.
  const timeoutSeconds = http.deadlineMs / 1000;
  const insecure = issuer.protocol === 'http:';
  let discovered: client.Configuration;
  try {
    discovered = await client.discovery(issuer, options.clientId, undefined, undefined, {
      [client.customFetch]: http.fetch,
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout: timeoutSeconds,
    });
  } catch (error) {
    const mismatch = (error as { code?: string }).code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED';
    if (mismatch) {
      throw new ConfigError(
        `the provider at ${issuer.host} names a different issuer than --oidc-issuer-url ${options.issuerUrl}`,
        { hint: 'set --oidc-issuer-url to the "issuer" of its discovery document, exactly', cause: error },
      );
    }
    throw describeProviderError(error, 'OIDC discovery', issuer.host);
  }
  const metadata = withDeviceEndpoint(discovered.serverMetadata(), issuer, options.deviceAuthorizationEndpoint, logger);
  logger.debug(`discovered the provider ${metadata.issuer}`);
  requireHttpsEndpoints(issuer, metadata);
  const config = new client.Configuration(
    metadata,
    options.clientId,
    undefined,
    await clientAuthentication(options, metadata, logger.redactor),
  );
  config[client.customFetch] = http.fetch;
  config.timeout = timeoutSeconds;
  if (insecure) client.allowInsecureRequests(config);
  return {
    config,
    metadata,
    options,
    verifier: new TokenVerifier(metadata, options.clientId, http, now),
    http,
    serviceHttp: await createProviderHttp(
      {
        ...options,
        certificateAuthorities: [],
        certificateAuthorityData: [],
        insecureSkipTLSVerify: false,
        requestHeaders: {},
      },
      logger,
      env,
    ),
    host: issuer.host,
    scopes: [...options.extraScopes, 'openid'].join(' '),
    logger,
    now,
  };
}
