/**
 * A stand-in for GitHub Actions' OIDC token service and issuer on 127.0.0.1:
 * it mints RS256 JWTs for the audience asked in the query when the request
 * carries the job's bearer token, and serves discovery and JWKS as
 * token.actions.githubusercontent.com does. It also mints tokens directly, for
 * token files (a CI job's or a pod's token from an issuer the provider trusts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { exportJWK, type GenerateKeyPairResult, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { closeServer, listenOnLoopback } from '../provider/loopback-server.ts';
import type { SelfSignedCertificate } from '../provider/self-signed-certificate.ts';

/** The job's bearer token the service accepts (what GitHub puts in ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
export const CI_REQUEST_TOKEN = 'ci-request-token-of-the-job';
/** The path of the token endpoint; its URL carries `api-version` already, as GitHub's does. */
const TOKEN_PATH = '/_apis/token';
/** Lifetime of the minted tokens unless told otherwise: GitHub's are valid for about five minutes. */
const DEFAULT_TTL_SECONDS = 300;
/** The claims GitHub puts in a job's token, as a cluster's claim rules read them. */
export const CI_JOB_CLAIMS = {
  sub: 'repo:example-org/example-repo:ref:refs/heads/main',
  repository: 'example-org/example-repo',
  ref: 'refs/heads/main',
};

/** Options of {@link startCiTokenService}. */
export interface CiTokenServiceOptions {
  /** Serve HTTPS with this key and certificate (the issuer is then https). */
  tls?: SelfSignedCertificate;
}

/** A running stand-in. */
export interface CiTokenService {
  /** `http://127.0.0.1:<port>` (https with `tls`), the `iss` of its tokens. */
  issuer: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL: the token endpoint with a query already. */
  requestUrl: string;
  /** The environment GitHub gives a job with `permissions: id-token: write`. */
  env: Record<string, string>;
  /** The audiences asked for, in order, one per token request that was answered with a token. */
  audiencesIssued: string[];
  /** Every token request's raw query string, in order. */
  queries: string[];
  /** Every token request's headers, in order. */
  headers: IncomingHttpHeaders[];
  /** From now on, answer token requests with this status and no token (undefined: answer normally). */
  failWith(status: number | undefined): void;
  /** Lifetime of the tokens minted from now on. */
  setTtl(seconds: number): void;
  /** Signs a token of this issuer: `aud`, and the job's claims unless overridden. */
  mint(audience: string, claims?: JWTPayload & { ttlSeconds?: number }): Promise<string>;
  /** Signs a token with a key the JWKS does not hold. */
  mintWithForeignKey(audience: string): Promise<string>;
  close(): Promise<void>;
}

/** The stand-in's signing key and a foreign one of this test process, made on first use (see test-provider.ts's). */
let processKeys: Promise<{ own: GenerateKeyPairResult; foreign: GenerateKeyPairResult }> | undefined;

/** Starts the stand-in. */
export async function startCiTokenService(options: CiTokenServiceOptions = {}): Promise<CiTokenService> {
  processKeys ??= (async () => ({ own: await generateKeyPair('RS256'), foreign: await generateKeyPair('RS256') }))();
  const {
    own: { privateKey, publicKey },
    foreign,
  } = await processKeys;
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let ttl = DEFAULT_TTL_SECONDS;
  let failure: number | undefined;
  const audiencesIssued: string[] = [];
  const queries: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  let issuer = '';

  const sign = (
    key: Parameters<SignJWT['sign']>[0],
    keyId: string,
    audience: string,
    claims: JWTPayload & { ttlSeconds?: number } = {},
  ) => {
    const { ttlSeconds = ttl, ...rest } = claims;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      ...CI_JOB_CLAIMS,
      iat: now,
      nbf: now,
      exp: now + ttlSeconds,
      jti: randomBytes(8).toString('hex'),
      ...rest,
    })
      .setProtectedHeader({ alg: 'RS256', kid: keyId, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .sign(key);
  };

  const listener: RequestListener = (request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      json(200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        id_token_signing_alg_values_supported: ['RS256'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository'],
      });
      return;
    }
    if (url.pathname === '/.well-known/jwks') {
      json(200, { keys: [jwk] });
      return;
    }
    if (url.pathname === TOKEN_PATH) {
      queries.push(url.search);
      headers.push({ ...request.headers });
      if (request.headers.authorization !== `Bearer ${CI_REQUEST_TOKEN}`) {
        json(401, { message: 'Bad credentials' });
        return;
      }
      if (failure !== undefined) {
        json(failure, { message: 'failure asked for by the test' });
        return;
      }
      const audience = url.searchParams.get('audience') ?? 'https://github.com/example-org';
      sign(privateKey, kid, audience).then(
        (value) => {
          audiencesIssued.push(audience);
          json(200, { count: 1, value });
        },
        (error: unknown) => json(500, { message: String(error) }),
      );
      return;
    }
    json(404, { message: 'Not Found' });
  };
  const server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  const port = await listenOnLoopback(server);
  issuer = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const requestUrl = `${issuer}${TOKEN_PATH}?api-version=2.0`;
  return {
    issuer,
    requestUrl,
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: CI_REQUEST_TOKEN },
    audiencesIssued,
    queries,
    headers,
    failWith(status) {
      failure = status;
    },
    setTtl(seconds) {
      ttl = seconds;
    },
    mint: (audience, claims) => sign(privateKey, kid, audience, claims),
    mintWithForeignKey: (audience) => sign(foreign.privateKey, kid, audience),
    close: () => closeServer(server),
  };
}
