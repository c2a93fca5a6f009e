/**
 * Client credentials in HTTP Basic, form-urlencoded as RFC 6749 section 2.3.1
 * says and the Go kubelogin sends them: a provider that compares the raw
 * Authorization header, without percent-decoding it, accepts IDs and secrets
 * that hold `-_.~!*'()` and spaces.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Middleware } from 'oidc-provider';
import { type CliFixture, startCliFixture } from '../../support/cli-fixture.ts';
import { assertLoggedIn } from '../../support/cli-outcome.ts';
import { passwordOf } from '../../support/provider/test-provider.ts';
import { runCli } from '../../support/run-cli.ts';

/** Clients whose IDs and secrets hold every character form-urlencoding treats apart, and the raw credentials each must send. */
const ODD_CLIENTS = [
  { id: 'ci-runner_x.y~', secret: 's3cr3t-x_y.z~', raw: 'ci-runner_x.y~:s3cr3t-x_y.z~' },
  {
    id: "robot (ci)! it's*",
    secret: "pass word!*'()-_.~",
    raw: 'robot+%28ci%29%21+it%27s%2A:pass+word%21%2A%27%28%29-_.~',
  },
];

/** A token endpoint that takes the Basic credentials byte for byte, as some providers in production do. */
function rawBasicCredentials(accepted: ReadonlySet<string>, seen: string[]): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/token') {
      const header = String(ctx.headers['authorization']);
      seen.push(header);
      if (!accepted.has(header)) {
        ctx.status = 401;
        ctx.body = { error: 'invalid_client', error_description: 'unknown client credentials' };
        return;
      }
    }
    await next();
  };
}

describe('client credentials in HTTP Basic', () => {
  let fixture: CliFixture;
  const seen: string[] = [];
  const basic = (raw: string) => `Basic ${Buffer.from(raw).toString('base64')}`;

  before(async () => {
    fixture = await startCliFixture({
      clients: ODD_CLIENTS.map(({ id, secret }) => ({
        client_id: id,
        client_secret: secret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['password'],
        response_types: [],
        redirect_uris: [],
      })),
      middlewares: [rawBasicCredentials(new Set(ODD_CLIENTS.map(({ raw }) => basic(raw))), seen)],
    });
  });
  after(() => fixture.close());

  for (const { id, secret, raw } of ODD_CLIENTS) {
    it(`are form-urlencoded for the client ${JSON.stringify(id)}`, async () => {
      const args = fixture.args.filter(
        (arg) => !arg.startsWith('--oidc-client-id=') && !arg.startsWith('--oidc-extra-scope='),
      );
      const result = await runCli(
        [
          ...args,
          `--oidc-client-id=${id}`,
          `--oidc-client-secret=${secret}`,
          '--grant-type=password',
          '--username=alice',
          `--password=${passwordOf('alice')}`,
          '--token-cache-storage=none',
        ],
        { env: fixture.env },
      );
      assert.equal(seen.at(-1), basic(raw));
      assertLoggedIn(result);
    });
  }
});
