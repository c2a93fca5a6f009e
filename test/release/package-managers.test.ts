/**
 * The Windows package managers' manifests of `npm run release`: winget's
 * manifest set (version, installer and default locale files) and Scoop's
 * kubelogin.json, each valid against its published JSON Schema (vendored in
 * schemas/, see its README) and pointing at the Windows zip with its sha256.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { RELEASE_DIR, readZip, wingetIdentifier } from '../support/release-files.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  license: string;
};
/** winget's package identifier: the project's GitHub owner, then the package. */
const WINGET_ID = wingetIdentifier();
const WINDOWS_ZIP = 'kubelogin_windows_amd64.zip';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const schema = (name: string) => JSON.parse(readFileSync(new URL(`schemas/${name}`, import.meta.url), 'utf8'));
const releaseFile = (name: string) => readFileSync(join(RELEASE_DIR, name), 'utf8');

/**
 * A draft-07 validator with the formats the schemas name: ajv checks none by itself, and in strict
 * mode refuses a schema naming a format it does not know.
 */
function validator(): Ajv {
  const ajv = new Ajv({ allErrors: true });
  ajv.addFormat('uri', (value: string) => URL.canParse(value) && /^[a-z][a-z0-9+.-]*:/i.test(value));
  ajv.addFormat('regex', (value: string) => {
    try {
      new RegExp(value);
      return true;
    } catch {
      return false;
    }
  });
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  // winget's 64-bit installer return codes.
  ajv.addFormat('long', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
  return ajv;
}

/** The schema's complaints about a document, one per line; empty when it is valid. */
function problems(schemaFile: string, document: unknown): string {
  const validate = validator().compile(schema(schemaFile));
  if (validate(document)) return '';
  return (validate.errors ?? [])
    .map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message}`)
    .join('\n');
}

describe("winget's manifest set", () => {
  const files = {
    version: `${WINGET_ID}.yaml`,
    installer: `${WINGET_ID}.installer.yaml`,
    defaultLocale: `${WINGET_ID}.locale.en-US.yaml`,
  } as const;

  for (const [type, file] of Object.entries(files)) {
    test(`${file} is a valid ${type} manifest of schema 1.9.0, saying so in its first line`, () => {
      const text = releaseFile(file);
      assert.match(
        text.split('\n')[0]!,
        new RegExp(
          `^# yaml-language-server: \\$schema=https://aka\\.ms/winget-manifest\\.${type}\\.1\\.9\\.0\\.schema\\.json$`,
        ),
      );
      const manifest = parse(text);
      assert.equal(problems(`winget-manifest.${type}.1.9.0.json`, manifest), '');
      assert.equal(manifest.ManifestType, type);
      assert.equal(manifest.PackageIdentifier, WINGET_ID);
      assert.equal(manifest.PackageVersion, pkg.version);
    });
  }

  test('installs the Windows zip, by its sha256, with kubelogin.exe as the portable command kubelogin', () => {
    const installer = parse(releaseFile(files.installer));
    assert.equal(installer.InstallerType, 'zip');
    assert.equal(installer.NestedInstallerType, 'portable');
    assert.deepEqual(installer.NestedInstallerFiles, [
      { RelativeFilePath: 'kubelogin.exe', PortableCommandAlias: 'kubelogin' },
    ]);
    assert.equal(installer.Installers.length, 1);
    const [only] = installer.Installers;
    assert.equal(only.Architecture, 'x64');
    assert.equal(basename(only.InstallerUrl), WINDOWS_ZIP);
    assert.match(only.InstallerUrl, new RegExp(`^https://\\S+/v${pkg.version.replaceAll('.', '\\.')}/`));
    assert.equal(only.InstallerSha256, sha256(readFileSync(join(RELEASE_DIR, WINDOWS_ZIP))).toUpperCase());
    assert.ok(readZip(join(RELEASE_DIR, WINDOWS_ZIP)).some((entry) => entry.name === 'kubelogin.exe'));
  });

  test("names package.json's license and the project's pages in its default locale", () => {
    const locale = parse(releaseFile(files.defaultLocale));
    assert.equal(locale.License, pkg.license);
    assert.equal(locale.PackageLocale, 'en-US');
    assert.equal(`${locale.Publisher}.kubelogin`, WINGET_ID);
    assert.equal(parse(releaseFile(files.version)).DefaultLocale, 'en-US');
    assert.match(locale.PackageUrl, /^https:\/\//);
    assert.ok(locale.ShortDescription.trim());
  });

  test('fails its schema when a required field is missing (the check can fail)', () => {
    const { InstallerType: _dropped, ...manifest } = parse(releaseFile(files.installer));
    manifest.Installers = [{ ...manifest.Installers[0], InstallerSha256: 'not-a-hash' }];
    assert.match(problems('winget-manifest.installer.1.9.0.json', manifest), /InstallerSha256 must match pattern/);
  });
});

describe("Scoop's manifest kubelogin.json", () => {
  const manifest = JSON.parse(releaseFile('kubelogin.json'));

  test("is valid against Scoop's schema", () => {
    assert.equal(problems('scoop-manifest.schema.json', manifest), '');
  });

  test("installs the Windows zip by its sha256 at package.json's version, with shims for both names and kubectl's completion", () => {
    assert.equal(manifest.version, pkg.version);
    assert.equal(manifest.license, pkg.license);
    const { url, hash } = manifest.architecture['64bit'];
    assert.equal(basename(url), WINDOWS_ZIP);
    assert.equal(hash, sha256(readFileSync(join(RELEASE_DIR, WINDOWS_ZIP))));
    assert.deepEqual(manifest.bin, [
      'kubelogin.exe',
      ['kubelogin.exe', 'kubectl-oidc_login'],
      'kubectl_complete-oidc_login.cmd',
    ]);
    const entries = readZip(join(RELEASE_DIR, WINDOWS_ZIP)).map((entry) => entry.name);
    for (const shim of ['kubelogin.exe', 'kubectl_complete-oidc_login.cmd']) assert.ok(entries.includes(shim), shim);
  });

  test("follows new releases: checkver reads GitHub's latest, autoupdate takes the zip and its hash from checksums.txt", () => {
    assert.match(manifest.checkver.github, /^https:\/\/github\.com\/[^/]+\/[^/]+$/);
    const autoupdate = manifest.autoupdate.architecture['64bit'].url;
    assert.equal(autoupdate.replaceAll('$version', pkg.version), manifest.architecture['64bit'].url);
    assert.equal(manifest.autoupdate.hash.url, '$baseurl/checksums.txt');
  });

  test('fails its schema with an unknown field (the check can fail)', () => {
    assert.match(problems('scoop-manifest.schema.json', { ...manifest, binaries: [] }), /additional properties/);
  });
});
