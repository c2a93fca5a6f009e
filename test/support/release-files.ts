/**
 * The output of `npm run release` for the release tests: its directory
 * (KUBELOGIN_RELEASE_DIR, default `release/`) and its zips read back, each
 * entry with the Unix mode the archive gives it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { unzipSync } from 'fflate';

/** The environment variable naming the release directory to check. */
const RELEASE_DIR_VARIABLE = 'KUBELOGIN_RELEASE_DIR';

/** The directory `npm run release` wrote. */
export const RELEASE_DIR = resolve(process.env[RELEASE_DIR_VARIABLE] || 'release');

/** The end of the name of winget's installer manifest, `<identifier>.installer.yaml`. */
const WINGET_INSTALLER_SUFFIX = '.installer.yaml';

/**
 * winget's package identifier in the release, `<owner>.kubelogin`: the owner is the GitHub
 * repository's that runs the release (or package.json's), so it is read off the installer file.
 */
export function wingetIdentifier(): string {
  const installers = readdirSync(RELEASE_DIR).filter((name) => name.endsWith(WINGET_INSTALLER_SUFFIX));
  if (installers.length !== 1) throw new Error(`${RELEASE_DIR} holds ${installers.length} winget installer manifests`);
  return (installers[0] as string).slice(0, -WINGET_INSTALLER_SUFFIX.length);
}

/** Signature of a zip's central directory file header. */
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
/** Signature of the end of central directory record. */
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
/** The end record is 22 bytes when the zip has no comment (ours have none). */
const END_OF_CENTRAL_DIRECTORY_BYTES = 22;

/** One file of a zip. */
export interface ZipEntry {
  name: string;
  /** The Unix mode from the external attributes, e.g. 0o100755. */
  mode: number;
  bytes: Uint8Array;
}

/** The entries of a release zip, in the archive's order. */
export function readZip(path: string): ZipEntry[] {
  const zip = readFileSync(path);
  const end = zip.length - END_OF_CENTRAL_DIRECTORY_BYTES;
  if (zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY_SIGNATURE)
    throw new Error(`${path}: no end of central directory (a comment?)`);
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const contents = unzipSync(zip);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_HEADER_SIGNATURE)
      throw new Error(`${path}: bad central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    const mode = zip.readUInt32LE(offset + 38) >>> 16;
    entries.push({ name, mode, bytes: contents[name] as Uint8Array });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
