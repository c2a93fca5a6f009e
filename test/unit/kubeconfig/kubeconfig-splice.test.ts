import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, parseDocument } from 'yaml';
import { putContext, putExecUser } from '../../../src/kubeconfig/kubeconfig-edit.ts';
import { KUBECTL_LAYOUT, readKubeconfig, writeKubeconfig } from '../../../src/kubeconfig/kubeconfig-file.ts';
import { spliceEdits } from '../../../src/kubeconfig/kubeconfig-splice.ts';
import { ODD_KUBECONFIG } from '../../support/cluster/kubeconfig-samples.ts';

const EXEC_USER = {
  command: 'kubelogin',
  args: ['get-token', '--oidc-issuer-url=https://issuer.example'],
  interactiveMode: 'Never' as const,
  provideClusterInfo: false,
};

/** The lines of the `user:` mapping of EXEC_USER, indented by `indent` spaces. */
function execUserLines(indent: number): string[] {
  return [
    'user:',
    '  exec:',
    '    apiVersion: client.authentication.k8s.io/v1',
    '    command: kubelogin',
    '    args:',
    '    - get-token',
    '    - --oidc-issuer-url=https://issuer.example',
    '    interactiveMode: Never',
    '    provideClusterInfo: false',
  ].map((line) => ' '.repeat(indent) + line);
}

/** `source` after `edit` of its document, spliced; asserts the result reads as the edited document. */
function spliced(source: string, edit: (document: ReturnType<typeof parseDocument>) => void): string | undefined {
  const document = parseDocument(source);
  edit(document);
  const text = spliceEdits(source, document);
  if (text !== undefined) assert.deepEqual(parse(text), document.toJS());
  return text;
}

describe('spliceEdits', () => {
  it('replaces an existing user where it stands, at its column and dash style, keeping comments and odd formatting around it', () => {
    const source = [
      '# Hand-edited.',
      'apiVersion: v1',
      'preferences: {}   # nothing here',
      'users:',
      '-   name: admin   # the old admin',
      '    user:',
      '        token: abc.def   # static',
      '        # rotated yearly',
      '- {name: robot, user: {token: robot-token}}   # a flow entry',
      'contexts:',
      '-   {name: c, context: {cluster: k, user: admin}}',
      '',
    ].join('\n');
    const text = spliced(source, (document) => putExecUser(document, 'admin', EXEC_USER));
    assert.equal(
      text,
      [
        '# Hand-edited.',
        'apiVersion: v1',
        'preferences: {}   # nothing here',
        'users:',
        '-   name: admin',
        ...execUserLines(4),
        '- {name: robot, user: {token: robot-token}}   # a flow entry',
        'contexts:',
        '-   {name: c, context: {cluster: k, user: admin}}',
        '',
      ].join('\n'),
    );
  });

  it('replaces a flow entry with a block one after the same dash', () => {
    const source = 'users:\n- {name: robot, user: {token: robot-token}}   # a flow entry\n- name: other\n  user: {}\n';
    const text = spliced(source, (document) => putExecUser(document, 'robot', EXEC_USER));
    assert.equal(text, ['users:', '- name: robot', ...execUserLines(2), '- name: other', '  user: {}', ''].join('\n'));
  });

  it('replaces the last entry without taking the blank line and the comment that lead to the next key, and appends after it', () => {
    const source =
      'users:\n  - name: old\n    user: {token: x}\n  - name: admin\n    user: {token: y}   # static\n\n# contexts, below\ncontexts: []\n';
    const text = spliced(source, (document) => {
      putExecUser(document, 'admin', EXEC_USER);
      putExecUser(document, 'oidc', EXEC_USER);
    });
    assert.equal(
      text,
      [
        'users:',
        '  - name: old',
        '    user: {token: x}',
        '  - name: admin',
        ...execUserLines(4),
        '  - name: oidc',
        ...execUserLines(4),
        '',
        '# contexts, below',
        'contexts: []',
        '',
      ].join('\n'),
    );
  });

  it('appends to a sequence indented under its key, after the last item and its comments, as its siblings are laid out', () => {
    const source = [
      'clusters:',
      '  - name: k',
      '    cluster: {server: https://k.example}',
      'contexts:',
      '  - name: old',
      '    context:',
      '      cluster: k',
      '      # no user yet',
      '',
      '# the users, below',
      'users: []',
      '',
    ].join('\n');
    const text = spliced(source, (document) => putContext(document, 'new', 'k', 'oidc'));
    assert.equal(
      text,
      [
        'clusters:',
        '  - name: k',
        '    cluster: {server: https://k.example}',
        'contexts:',
        '  - name: old',
        '    context:',
        '      cluster: k',
        '      # no user yet',
        '  - name: new',
        '    context:',
        '      cluster: k',
        '      user: oidc',
        '',
        '# the users, below',
        'users: []',
        '',
      ].join('\n'),
    );
  });

  it('appends to a sequence not indented under its key, copying the dash style of the block entries, at the end of a file without a final line break', () => {
    const source = 'apiVersion: v1\nusers:\n-   name: admin\n    user: {token: x}\n- {name: robot, user: {}}';
    const text = spliced(source, (document) => putExecUser(document, 'oidc', EXEC_USER));
    assert.equal(
      text,
      [
        'apiVersion: v1',
        'users:',
        '-   name: admin',
        '    user: {token: x}',
        '- {name: robot, user: {}}',
        '-   name: oidc',
        ...execUserLines(4),
        '',
      ].join('\n'),
    );
  });

  it('keeps CRLF line endings, in the kept text and in what it adds', () => {
    const source = [
      '# CRLF file',
      'users:',
      '- name: admin',
      '  user:',
      '    token: x',
      'contexts:',
      '- name: c',
      '  context: {cluster: k, user: admin}',
      'clusters:',
      '- name: k',
      '  cluster: {}',
      '',
    ].join('\r\n');
    const text = spliced(source, (document) => {
      putExecUser(document, 'admin', EXEC_USER);
      putContext(document, 'oidc', 'k', 'admin');
    });
    assert.equal(
      text,
      [
        '# CRLF file',
        'users:',
        '- name: admin',
        ...execUserLines(2),
        'contexts:',
        '- name: c',
        '  context: {cluster: k, user: admin}',
        '- name: oidc',
        '  context:',
        '    cluster: k',
        '    user: admin',
        'clusters:',
        '- name: k',
        '  cluster: {}',
        '',
      ].join('\r\n'),
    );
  });

  it("quotes what the file's YAML version would read otherwise (yes is true in YAML 1.1)", () => {
    const source = '%YAML 1.1\n---\nusers:\n- name: admin\n  user: {token: x}\n';
    const text = spliced(source, (document) => putExecUser(document, 'yes', EXEC_USER));
    assert.equal(
      text,
      [
        '%YAML 1.1',
        '---',
        'users:',
        '- name: admin',
        '  user: {token: x}',
        '- name: "yes"',
        ...execUserLines(2),
        '',
      ].join('\n'),
    );
  });

  it('returns the source as it is when nothing changed', () => {
    assert.equal(
      spliced(ODD_KUBECONFIG, () => undefined),
      ODD_KUBECONFIG,
    );
  });

  it('gives up (so the document is re-printed) when the list is missing, empty, null or in flow style', () => {
    for (const users of ['', 'users: []\n', 'users:\n', 'users: ~\n', 'users: [{name: admin, user: {token: x}}]\n']) {
      const source = `apiVersion: v1\n${users}contexts:\n- name: c\n  context: {}\n`;
      assert.equal(
        spliced(source, (document) => putExecUser(document, 'oidc', EXEC_USER)),
        undefined,
        JSON.stringify(users),
      );
    }
  });

  it('keeps an anchor that stands before the entry, so that an alias of it reads as the new entry', () => {
    const source = 'users:\n- &admin\n  name: admin\n  user: {token: x}\nsame-admin: *admin\n';
    const text = spliced(source, (document) => putExecUser(document, 'admin', EXEC_USER));
    assert.equal(
      text,
      ['users:', '- &admin', '  name: admin', ...execUserLines(2), 'same-admin: *admin', ''].join('\n'),
    );
  });

  it('gives up when the spliced text would not read as the edited document', () => {
    // A flow entry's anchor stays on the dash's line, where a block mapping may not follow it: the splice does not parse.
    const source = 'users:\n- &admin {name: admin, user: {token: x}}\nsame-admin: *admin\n';
    assert.equal(
      spliced(source, (document) => putExecUser(document, 'admin', EXEC_USER)),
      undefined,
    );
  });
});

describe('writeKubeconfig falling back', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubelogin-kubeconfig-splice-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('re-prints the document, comments kept, when the edit cannot be spliced', async () => {
    const cases = {
      flow: 'apiVersion: v1   # odd spacing\nusers: []\n',
      verification: '# anchors\nusers:\n- &admin {name: admin, user: {token: x}}\nsame-admin: *admin\n',
    };
    for (const [name, source] of Object.entries(cases)) {
      const path = join(root, name);
      await writeFile(path, source);
      const file = readKubeconfig(path, { mustExist: true });
      putExecUser(file.document, 'admin', EXEC_USER);
      writeKubeconfig(file);
      const written = await readFile(path, 'utf8');
      assert.equal(written, file.document.toString(KUBECTL_LAYOUT), name);
      assert.deepEqual(parse(written), file.document.toJS(), name);
    }
  });
});
