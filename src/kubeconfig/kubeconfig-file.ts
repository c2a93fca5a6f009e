/**
 * Reading and writing a kubeconfig without losing anything: an edit is
 * spliced into the text as it was read, so the rest of the file stays byte
 * for byte (else the edited document is re-printed, comments kept), writes
 * are atomic, and the previous file is kept as a backup.
 */
import { mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Document, parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.ts';
import { homeDirectory, type PathEnvironment, platformPath } from '../core/paths.ts';
import { describeFsError, writeFileAtomically } from '../io/files.ts';
import { KUBECTL_LAYOUT } from './kubeconfig-layout.ts';
import { spliceEdits } from './kubeconfig-splice.ts';

export { KUBECTL_LAYOUT } from './kubeconfig-layout.ts';

/** Suffix of the copy kept of a kubeconfig before it is replaced. */
export const BACKUP_SUFFIX = '.kubelogin-backup';
/** Mode of a kubeconfig kubelogin creates: it may hold client secrets. */
const NEW_FILE_MODE = 0o600;
/** Mode of the backup copy: it may hold tokens and client secrets. */
const BACKUP_MODE = 0o600;
/** Write permission bits: a kubeconfig with none is read-only by intent, even for root. */
const WRITE_BITS = 0o222;

/** A kubeconfig held as a YAML document. */
export interface KubeconfigFile {
  path: string;
  document: Document;
  /** The text the document was parsed from; undefined for a new (or empty) file, whose document is made up. */
  source: string | undefined;
  /** False when the file did not exist yet. */
  existed: boolean;
  /** Mode to keep when the file is replaced. */
  mode: number;
}

/** `--kubeconfig`, else the first entry of KUBECONFIG, else `~/.kube/config`, as kubectl picks it. */
export function kubeconfigPath(flag: string | undefined, world: PathEnvironment): string {
  if (flag) return flag;
  const { delimiter, join } = platformPath(world.platform);
  const fromEnv = world.env['KUBECONFIG']?.split(delimiter).find((entry) => entry !== '');
  return fromEnv ?? join(homeDirectory(world), '.kube', 'config');
}

/** A new, empty kubeconfig. */
function emptyKubeconfig(): Document {
  return parseDocument(
    'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\ncurrent-context: ""\npreferences: {}\n',
  );
}

/** Reads a kubeconfig; a missing file is an empty one unless it must exist. */
export function readKubeconfig(path: string, { mustExist }: { mustExist: boolean }): KubeconfigFile {
  let text: string;
  let mode = NEW_FILE_MODE;
  try {
    text = readFileSync(path, 'utf8');
    mode = statSync(path).mode & 0o777;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT' && !mustExist) {
      return { path, document: emptyKubeconfig(), source: undefined, existed: false, mode };
    }
    throw new ConfigError(`cannot read the kubeconfig ${path}: ${describeFsError(cause)}`, {
      hint: 'set --kubeconfig',
      cause,
    });
  }
  const document = parseDocument(text);
  const problem = document.errors[0];
  if (problem !== undefined) {
    throw new ConfigError(`the kubeconfig ${path} is not valid YAML: ${problem.message.split('\n')[0]}`, {
      cause: problem,
    });
  }
  const contents = document.toJS() as unknown;
  if (contents !== null && (typeof contents !== 'object' || Array.isArray(contents))) {
    throw new ConfigError(`the kubeconfig ${path} is not a kubeconfig: expected a mapping at the top`);
  }
  if (contents === null) return { path, document: emptyKubeconfig(), source: undefined, existed: true, mode };
  return { path, document, source: text, existed: true, mode };
}

/** The file's new text: the edits spliced into its source when they can be, else the whole document re-printed. */
function kubeconfigText(file: KubeconfigFile): string {
  const spliced = file.source === undefined ? undefined : spliceEdits(file.source, file.document);
  return spliced ?? file.document.toString(KUBECTL_LAYOUT);
}

/** Fails when the kubeconfig is read-only by intent (no write bits): checked before a login, so none is wasted. */
export function assertWritable(file: KubeconfigFile): void {
  if (file.existed && (file.mode & WRITE_BITS) === 0) {
    throw new ConfigError(`the kubeconfig ${file.path} is read-only`, {
      hint: 'make it writable, or choose another file with --kubeconfig',
    });
  }
}

/**
 * Replaces the file with the document: the old file is copied to
 * `<path>.kubelogin-backup` first, then a temporary file is renamed over it.
 * Returns the backup's path, if one was made.
 */
export function writeKubeconfig(file: KubeconfigFile): string | undefined {
  assertWritable(file);
  const backup = file.existed ? `${file.path}${BACKUP_SUFFIX}` : undefined;
  try {
    // A symlinked kubeconfig (dotfile managers do that) is written through to its target.
    const target = file.existed ? realpathSync(file.path) : file.path;
    const text = kubeconfigText(file);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    // The old file may hold tokens or secrets (convert-kubeconfig's users do): only the owner may read the copy,
    // and a link planted at the backup's name is replaced, never followed.
    if (backup !== undefined) writeFileAtomically(backup, readFileSync(target), BACKUP_MODE);
    writeFileAtomically(target, text, file.mode);
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    throw new ConfigError(`cannot write the kubeconfig ${file.path}: ${describeFsError(cause)}`, { cause });
  }
  return backup;
}
