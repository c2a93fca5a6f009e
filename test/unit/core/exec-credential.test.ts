import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../../src/core/errors.ts';
import { formatExecCredential, parseExecInfo } from '../../../src/core/exec-credential.ts';

const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

describe('parseExecInfo', () => {
  it('defaults to v1beta1, not from kubectl, when the variable is absent', () => {
    const info = parseExecInfo(undefined);
    assert.equal(info.apiVersion, V1BETA1);
    assert.equal(info.fromKubectl, false);
  });

  it('treats an empty or blank variable as absent', () => {
    for (const raw of ['', '   ', '\n']) {
      const info = parseExecInfo(raw);
      assert.equal(info.apiVersion, V1BETA1, JSON.stringify(raw));
      assert.equal(info.fromKubectl, false, JSON.stringify(raw));
    }
  });

  it('echoes v1 and v1beta1', () => {
    for (const apiVersion of [V1, V1BETA1]) {
      const info = parseExecInfo(JSON.stringify({ kind: 'ExecCredential', apiVersion, spec: { interactive: false } }));
      assert.equal(info.apiVersion, apiVersion);
      assert.equal(info.fromKubectl, true);
    }
  });

  it('reads the interactive flag', () => {
    assert.equal(parseExecInfo(JSON.stringify({ apiVersion: V1, spec: { interactive: true } })).interactive, true);
    assert.equal(parseExecInfo(JSON.stringify({ apiVersion: V1, spec: { interactive: false } })).interactive, false);
    assert.equal(parseExecInfo(JSON.stringify({ apiVersion: V1, spec: {} })).interactive, false);
    assert.equal(parseExecInfo(JSON.stringify({ apiVersion: V1 })).interactive, false);
  });

  it('reads spec.cluster (provideClusterInfo: true): the server and the exec extension as sent', () => {
    const config = { 'oidc-issuer-url': 'https://issuer.example', 'oidc-extra-scope': ['email'] };
    const info = parseExecInfo(
      JSON.stringify({
        apiVersion: V1,
        spec: { interactive: false, cluster: { server: 'https://prod.example:6443', config } },
      }),
    );
    assert.deepEqual(info.cluster, { server: 'https://prod.example:6443', config });
  });

  it('has a cluster without config when the cluster has no exec extension, and none without spec.cluster', () => {
    const bare = parseExecInfo(JSON.stringify({ apiVersion: V1, spec: { cluster: { server: 'https://a' } } }));
    assert.deepEqual(bare.cluster, { server: 'https://a', config: undefined });
    const nulled = parseExecInfo(
      JSON.stringify({ apiVersion: V1, spec: { cluster: { server: 'https://a', config: null } } }),
    );
    assert.equal(nulled.cluster?.config, undefined);
    assert.equal(parseExecInfo(JSON.stringify({ apiVersion: V1, spec: {} })).cluster, undefined);
  });

  it('rejects text that is not JSON with a UsageError naming KUBERNETES_EXEC_INFO', () => {
    assert.throws(
      () => parseExecInfo('{not json'),
      (error: unknown) => error instanceof UsageError && /KUBERNETES_EXEC_INFO/.test(error.message),
    );
  });

  it('rejects an unknown apiVersion with a UsageError', () => {
    assert.throws(
      () => parseExecInfo(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1alpha1' })),
      (error: unknown) =>
        error instanceof UsageError && /KUBERNETES_EXEC_INFO/.test(error.message) && /v1alpha1/.test(error.message),
    );
  });

  it('rejects JSON that is not an object', () => {
    for (const raw of [
      '[]',
      '[{"apiVersion":"client.authentication.k8s.io/v1"}]',
      '"client.authentication.k8s.io/v1"',
      '42',
      'null',
    ]) {
      assert.throws(() => parseExecInfo(raw), UsageError, raw);
    }
  });
});

describe('formatExecCredential', () => {
  it('prints the exact compact shape kubectl reads', () => {
    const text = formatExecCredential(V1, 'the-token', new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 678)));
    assert.equal(
      text,
      '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false},' +
        '"status":{"expirationTimestamp":"2030-01-02T03:04:05Z","token":"the-token"}}\n',
    );
  });

  it('is exactly one line ending in a newline', () => {
    const text = formatExecCredential(V1BETA1, 'tok', new Date(0));
    assert.ok(text.endsWith('\n'));
    assert.equal(text.split('\n').length, 2);
    assert.equal(text.indexOf('\n'), text.length - 1);
  });

  it('writes the expiry as RFC 3339 UTC without milliseconds', () => {
    const text = formatExecCredential(V1BETA1, 'tok', new Date(Date.UTC(2024, 11, 31, 23, 59, 59, 999)));
    const parsed = JSON.parse(text) as { apiVersion: string; status: { expirationTimestamp: string } };
    assert.equal(parsed.apiVersion, V1BETA1);
    assert.equal(parsed.status.expirationTimestamp, '2024-12-31T23:59:59Z');
    assert.match(parsed.status.expirationTimestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('escapes the token as JSON', () => {
    const text = formatExecCredential(V1, 'a"b\\c', new Date(0));
    assert.equal((JSON.parse(text) as { status: { token: string } }).status.token, 'a"b\\c');
  });
});
