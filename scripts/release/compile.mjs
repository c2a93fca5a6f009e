// Compiles the CLI into one standalone executable with Bun's compiler.
// Run by bun (Bun.build is its API), from scripts/release/release.mjs:
//   bun scripts/release/compile.mjs <bun target> <outfile> <version> [--entry FILE] [--metafile FILE]
// --entry compiles another program with the same settings (the benchmark's
// empty executable); --metafile writes the build's metafile (which chunk
// holds which modules). Cross targets fetch their runtime from the npm
// registry by themselves.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { entry: { type: 'string' }, metafile: { type: 'string' } },
});
const [target, outfile, version] = positionals;
if (!target || !outfile || !version)
  throw new Error(
    'usage: bun scripts/release/compile.mjs <bun target> <outfile> <version> [--entry FILE] [--metafile FILE]',
  );

/**
 * `open` finds its bundled xdg-open next to its own module, a path that Bun
 * bakes in from the build machine: make it use the system's xdg-open. Only
 * that branch changes: on WSL (outside a container) `open` never gets there,
 * it starts the Windows browser through PowerShell, as in the npm build.
 */
const openUsesSystemXdgOpen = {
  name: 'open-system-xdg-open',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]open[\\/]index\.js$/ }, async (args) => {
      const source = await Bun.file(args.path).text();
      const patched = source.replace('path.dirname(fileURLToPath(import.meta.url))', "'/'");
      if (patched === source)
        throw new Error('open/index.js changed: update the open-system-xdg-open plugin in scripts/release/compile.mjs');
      return { contents: patched, loader: 'js' };
    });
  },
};

/** The module that hashes, and what the executable hashes with instead. */
const HASH_MODULE = new URL('../../src/core/sha256-hex.ts', import.meta.url).pathname;
const NATIVE_HASH_MODULE = new URL('./native-sha256-hex.mjs', import.meta.url).pathname;

/** Whether the native-sha256 plugin found the module to replace. */
let hashModuleReplaced = false;

/** Puts the runtime's native SHA-256 in the place of src/core/sha256-hex.ts (see both). */
const nativeSha256 = {
  name: 'native-sha256',
  setup(build) {
    build.onResolve({ filter: /[\\/]sha256-hex\.ts$/ }, (args) => {
      if (resolve(args.resolveDir, args.path) !== HASH_MODULE) return undefined;
      hashModuleReplaced = true;
      return { path: NATIVE_HASH_MODULE };
    });
  },
};

const result = await Bun.build({
  entrypoints: [values.entry ?? new URL('../standalone-entry.ts', import.meta.url).pathname],
  // No .env or bunfig.toml of the user's working directory is read by the executable.
  compile: { target, outfile, autoloadDotenv: false, autoloadBunfig: false },
  // One chunk of what the cache hit runs, and every import() its own chunks: a hit evaluates
  // (and pages in the bytecode of) the hot path only, as the npm build's hot bundle does.
  // Bytecode of ES modules needs the ESM format.
  splitting: true,
  format: 'esm',
  minify: true,
  bytecode: true,
  metafile: values.metafile !== undefined,
  define: { KUBELOGIN_VERSION: JSON.stringify(version) },
  plugins: [openUsesSystemXdgOpen, nativeSha256],
  throw: false,
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
if (values.entry === undefined && !hashModuleReplaced)
  throw new Error(
    'src/core/sha256-hex.ts is no longer imported: update the native-sha256 plugin in scripts/release/compile.mjs',
  );
if (values.metafile !== undefined) writeFileSync(values.metafile, JSON.stringify(result.metafile));
