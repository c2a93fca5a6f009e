/**
 * The standalone executables the benchmark runs, for this machine's platform only: kubelogin
 * (the release's when `npm run release` has built one, else compiled here) and the empty
 * executables, all compiled by the release's own compile step with its settings. What is
 * compiled here is kept under .tmp/bench/, in a directory named by a digest of everything the
 * executable is built from, so a second run compiles nothing and a change compiles again.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative } from 'node:path';
import { archiveName, type Platform, platformOf } from '../release/platforms.mjs';

/** The repository's root. */
const ROOT = new URL('../..', import.meta.url).pathname;
/** Where compiled executables are kept between runs. */
const CACHE_DIR = join(ROOT, '.tmp/bench');
/** The compiler, as the release runs it. */
const BUN = join(ROOT, 'node_modules/.bin/bun');
/** The release's compile step. */
const COMPILE = join(ROOT, 'scripts/release/compile.mjs');
/** What every executable is built from: the compile step and its settings, and the locked dependencies (Bun's version among them). */
const COMPILER_INPUTS = ['scripts/release', 'package-lock.json', 'package.json'];
/** What kubelogin is built from, besides the compiler. */
const KUBELOGIN_INPUTS = ['src', 'scripts/standalone-entry.ts'];
/** The empty executables and what they are built from, besides the compiler. */
export const EMPTY_EXECUTABLES = {
  'empty executable': 'scripts/bench/empty-executable.ts',
  'empty executable, stdout stream': 'scripts/bench/empty-executable-stdout.ts',
} as const;
/** The module the empty executables print. */
const EMPTY_INPUTS = ['scripts/bench/fixed-credential.ts'];

/** rwxr-xr-x. */
const EXECUTABLE_MODE = 0o755;

/** The release platform whose executables run here; undefined where none does. */
export const HOST_PLATFORM: Platform | undefined = platformOf(process.platform, process.arch);

/** Every file under `paths` (files or directories, relative to the root), sorted. */
function filesUnder(paths: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    const full = join(ROOT, path);
    if (!existsSync(full)) return;
    if (!statSync(full).isDirectory()) {
      files.push(path);
      return;
    }
    for (const name of readdirSync(full)) walk(join(path, name));
  };
  for (const path of paths) walk(path);
  return files.sort();
}

/** A digest of the names and contents of the files under `paths`. */
function digestOf(paths: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(paths))
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(ROOT, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * The executable compiled from `entry` (default: kubelogin's) for `platform`, compiling it into
 * .tmp/bench/ unless a build from the same inputs is there already.
 */
function compiled(name: string, platform: Platform, inputs: readonly string[], entry?: string): string {
  const dir = join(CACHE_DIR, `${name}-${platform.os}_${platform.arch}-${digestOf([...COMPILER_INPUTS, ...inputs])}`);
  const executable = join(dir, platform.executable);
  if (existsSync(executable)) return executable;
  console.error(`compiling ${relative(process.cwd(), executable)}`);
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  execFileSync(
    BUN,
    [
      COMPILE,
      platform.bunTarget,
      join(building, platform.executable),
      version,
      ...(entry ? ['--entry', join(ROOT, entry)] : []),
    ],
    { stdio: 'inherit', cwd: ROOT },
  );
  renameSync(building, dir);
  return executable;
}

/**
 * kubelogin's executable for `platform`: the one in the release zip of `releaseDir` when there
 * is one (unpacked into `workDir`), else one compiled from this tree.
 */
export function kubeloginExecutable(
  platform: Platform,
  releaseDir: string,
  workDir: string,
  readEntry: (zip: string, name: string) => Uint8Array,
): { path: string; origin: string } {
  const zip = join(releaseDir, archiveName(platform));
  if (existsSync(zip)) {
    const path = join(workDir, platform.executable);
    writeFileSync(path, readEntry(zip, platform.executable));
    chmodSync(path, EXECUTABLE_MODE);
    return { path, origin: relative(process.cwd(), zip) };
  }
  const path = compiled('kubelogin', platform, KUBELOGIN_INPUTS);
  return { path, origin: `compiled from this tree (${relative(process.cwd(), path)})` };
}

/**
 * A copy of `executable` in `dir`, written in one call, as every executable the benchmark runs
 * is: the kernel maps the cached pages around each page fault by the folios the file's page
 * cache holds, which depend on how the file was written, and that alone moved the same
 * executable's peak RSS by 5 MiB (as the compiler wrote it against a copy).
 */
export function staged(executable: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const copy = join(dir, basename(executable));
  writeFileSync(copy, readFileSync(executable));
  chmodSync(copy, EXECUTABLE_MODE);
  return copy;
}

/** The empty executable named `name` for `platform`, compiled once. */
export function emptyExecutable(name: keyof typeof EMPTY_EXECUTABLES, platform: Platform): string {
  const entry = EMPTY_EXECUTABLES[name];
  return compiled(name.replaceAll(/[^a-z]+/g, '-'), platform, [entry, ...EMPTY_INPUTS], entry);
}
