/**
 * A stand-in kube-apiserver on 127.0.0.1: it authenticates bearer tokens as kube-apiserver's OIDC
 * authenticator does and serves enough of the API for `kubectl get pods`.
 *
 * It serves HTTPS with a self-signed certificate because kubectl sends no credentials at all,
 * and runs no credential plugin, for a cluster whose server URL is plain http.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { Readable } from 'node:stream';
import { closeServer, listenOnLoopback } from '../provider/loopback-server.ts';
import { createSelfSignedCertificate } from '../provider/self-signed-certificate.ts';
import {
  apiGroupList,
  apiVersions,
  coreResourceList,
  podList,
  podTable,
  statusFailure,
  versionInfo,
} from './kube-api-responses.ts';
import {
  type Identity,
  type OidcAuthenticatorOptions,
  oidcAuthenticator,
  unverifiedExpiry,
  unverifiedIssuer,
} from './oidc-token-authenticator.ts';

/** How the stand-in misbehaves on a SelfSubjectReview, as a hostile or broken server would. */
export type ReviewQuirk =
  /** Answer 307 with this Location. */
  | { redirectTo: string }
  /** Answer 201 with a JSON-looking body of this many bytes, written as fast as it is read. */
  | { bodyBytes: number }
  /** Answer 201 and send one byte of the body every `intervalMs`, forever. */
  | { dripEveryMs: number };

/**
 * Options of {@link startApiServer}: the OIDC authenticator's configuration,
 * and more JWT authenticators beside it, as a 1.30+ API server's
 * AuthenticationConfiguration lists several (each its own issuer).
 */
export type ApiServerOptions = OidcAuthenticatorOptions & {
  moreAuthenticators?: OidcAuthenticatorOptions[];
  /** Serve the API under this path (as Rancher's `/k8s/clusters/<id>`); any other path is 404. Default: the root. */
  pathPrefix?: string;
  /** The names of its certificate (`DNS:x`, `IP:y`); default 127.0.0.1 and localhost. */
  certificateNames?: string[];
  /** Misbehave on SelfSubjectReviews, whatever the token. */
  reviewQuirk?: ReviewQuirk;
};

/** One request the API server answered. */
export interface ApiRequest {
  path: string;
  status: number;
  /** The authenticated username, with kube-apiserver's `<issuer>#` prefix for non-email claims. */
  username?: string;
  groups?: string[];
  /** `exp` of the presented token, read even when the token was rejected. */
  tokenExp?: number;
  /** Whether an Authorization header came at all. */
  authorized: boolean;
  /** With the `bodyBytes` quirk: the bytes of the body written before the client went away or the body ended. */
  bytesSent?: number;
  /** Why the token was rejected. */
  error?: string;
}

/** A running stand-in API server. */
export interface ApiServer {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** PEM certificate of the server, which is its own CA. */
  ca: string;
  /** `ca` in base64, for a kubeconfig's `certificate-authority-data`. */
  certificateAuthorityData: string;
  /** Every request in arrival order. */
  requests: ApiRequest[];
  close(): Promise<void>;
}

/** A routed answer: HTTP status and JSON body. */
type Answer = [status: number, body: unknown];

/** An Authorization header with a bearer token; anything else counts as no token. */
const BEARER_HEADER = /^Bearer\s+(\S+)\s*$/i;
/** The list of pods in one namespace, the only resource path served. */
const NAMESPACED_PODS = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/;
/** The answer to any request without a valid token, as kube-apiserver words it. */
const UNAUTHORIZED: Answer = [401, statusFailure(401, 'Unauthorized', 'Unauthorized')];
/** The SelfSubjectReview resource (authentication.k8s.io/v1, Kubernetes 1.28+): who the caller is. */
const SELF_SUBJECT_REVIEWS = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
/** The group kube-apiserver adds to every authenticated user. */
const AUTHENTICATED_GROUP = 'system:authenticated';

/** The answer to a SelfSubjectReview, as kube-apiserver gives it: the authenticated user with its mapped names. */
function selfSubjectReview(username: string, groups: readonly string[]): Answer {
  return [
    201,
    {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: { username, groups: [...groups, AUTHENTICATED_GROUP] } },
    },
  ];
}

/** The Accept parameters with which `kubectl get` asks for a server-side Table. */
const TABLE_MEDIA_TYPE = 'as=Table;v=v1;g=meta.k8s.io';

function route(path: string, accept: string, serverAddress: string): Answer {
  if (path === '/version') return [200, versionInfo()];
  if (path === '/api') return [200, apiVersions(serverAddress)];
  if (path === '/apis') return [200, apiGroupList()];
  if (path === '/api/v1') return [200, coreResourceList()];
  const namespace = NAMESPACED_PODS.exec(path)?.[1];
  if (namespace !== undefined) {
    const name = decodeURIComponent(namespace);
    return [200, accept.includes(TABLE_MEDIA_TYPE) ? podTable(name) : podList(name)];
  }
  return [404, statusFailure(404, 'NotFound', 'the server could not find the requested resource')];
}

function send(res: ServerResponse, [status, body]: Answer): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Bytes of each chunk of a large body. */
const CHUNK_BYTES = 64 * 1024;

/** A JSON-looking body of `bytes` bytes, produced as it is read. */
function finiteBody(bytes: number): Readable {
  let left = bytes;
  return new Readable({
    read() {
      if (left <= 0) {
        this.push(null);
        return;
      }
      const size = Math.min(CHUNK_BYTES, left);
      left -= size;
      this.push(Buffer.alloc(size, ' '));
    },
  });
}

/** Answers a SelfSubjectReview as `quirk` says. */
function misbehave(quirk: ReviewQuirk, record: ApiRequest, res: ServerResponse): void {
  if ('redirectTo' in quirk) {
    record.status = 307;
    res.writeHead(307, { location: quirk.redirectTo, 'content-type': 'application/json' });
    res.end('{}');
    return;
  }
  record.status = 201;
  res.writeHead(201, { 'content-type': 'application/json' });
  if ('bodyBytes' in quirk) {
    const body = finiteBody(quirk.bodyBytes);
    record.bytesSent = 0;
    body.on('data', (chunk: Buffer) => {
      record.bytesSent = (record.bytesSent ?? 0) + chunk.length;
    });
    res.on('close', () => body.destroy());
    body.pipe(res);
    return;
  }
  res.write('{');
  const drip = setInterval(() => res.write(' '), quirk.dripEveryMs);
  res.on('close', () => clearInterval(drip));
}

/**
 * Several JWT authenticators: as kube-apiserver does, the token's (unverified)
 * `iss` picks the one that verifies it; no match is an authentication failure.
 */
function jwtAuthenticators(configurations: OidcAuthenticatorOptions[]): (token: string) => Promise<Identity> {
  const byIssuer = new Map(
    configurations.map((configuration) => [configuration.issuer, oidcAuthenticator(configuration)]),
  );
  return async (token) => {
    const authenticate = byIssuer.get(unverifiedIssuer(token) ?? '');
    if (authenticate === undefined) throw new Error("no JWT authenticator for the token's issuer");
    return authenticate(token);
  };
}

/**
 * Starts the stand-in API server. Every path needs a valid token (kubectl always sends one when
 * a credential plugin is configured); a missing or invalid one gets 401 with a Status body.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const authenticate = jwtAuthenticators([options, ...(options.moreAuthenticators ?? [])]);
  const requests: ApiRequest[] = [];

  const prefix = options.pathPrefix ?? '';
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A SelfSubjectReview's body says nothing the answer depends on.
    req.resume();
    const fullPath = new URL(req.url ?? '/', 'http://placeholder').pathname;
    const path = fullPath.startsWith(`${prefix}/`) ? fullPath.slice(prefix.length) : `(outside ${prefix}) ${fullPath}`;
    const token = BEARER_HEADER.exec(req.headers.authorization ?? '')?.[1];
    const record: ApiRequest = { path, status: UNAUTHORIZED[0], authorized: req.headers.authorization !== undefined };
    requests.push(record);
    const quirk = options.reviewQuirk;
    if (quirk !== undefined && req.method === 'POST' && path === SELF_SUBJECT_REVIEWS) {
      misbehave(quirk, record, res);
      return;
    }
    if (token === undefined) {
      record.error = 'no bearer token';
    } else {
      record.tokenExp = unverifiedExpiry(token);
      try {
        const { username, groups } = await authenticate(token);
        record.username = username;
        record.groups = groups;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
    }
    const answer =
      record.username === undefined
        ? UNAUTHORIZED
        : req.method === 'POST' && path === SELF_SUBJECT_REVIEWS
          ? selfSubjectReview(record.username, record.groups ?? [])
          : route(path, req.headers.accept ?? '', req.headers.host ?? '');
    record.status = answer[0];
    send(res, answer);
  }

  const { key, cert } = await createSelfSignedCertificate(options.certificateNames);
  const server = createServer({ key, cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('api-server failed to answer', req.url, error);
      res.destroy();
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `https://127.0.0.1:${port}`,
    ca: cert,
    certificateAuthorityData: Buffer.from(cert).toString('base64'),
    requests,
    close: () => closeServer(server),
  };
}
