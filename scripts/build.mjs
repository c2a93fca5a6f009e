// Builds dist/ with esbuild in two parts.
//
// - dist/kubelogin.cjs: the cache-hit path (flag parsing, cache read,
//   printing) as one CommonJS file. Node 20 loads CommonJS faster than ES
//   modules and has no compile cache, and kubectl runs this on every command.
// - dist/slow/*.mjs: every module the hot path loads with `import()` (the
//   slow path: refresh, login, the lock), as ES modules that import their
//   dependencies (openid-client, jose, proper-lockfile, open) from
//   node_modules at run time.
//
// Modules shared by both parts are bundled into each, except the error
// classes: the slow part imports them from the hot bundle, which re-exports
// them, so there is one copy of each and `instanceof` holds across the two.

import { readFile, rm } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8'));
const slowEntries = new Set();

/** Marks the hot path's `import()` of src modules external, pointing at their slow bundles. */
const splitSlowPath = {
  name: 'split-slow-path',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const source = resolve(args.resolveDir, args.path);
      slowEntries.add(relative(root, source));
      return { path: `./slow/${basename(source, '.ts')}.mjs`, external: true };
    });
  },
};

/** The path of the module that defines the error classes. */
const errorClasses = resolve(root, 'src/core/errors.ts');

/** Points the slow part's imports of the error classes at the hot bundle, which re-exports them. */
const shareErrorClasses = {
  name: 'share-error-classes',
  setup(builder) {
    builder.onResolve({ filter: /errors\.ts$/ }, (args) =>
      resolve(args.resolveDir, args.path) === errorClasses ? { path: '../kubelogin.cjs', external: true } : undefined,
    );
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  define: { KUBELOGIN_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};

await rm(resolve(root, 'dist'), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/main.ts'],
  outfile: 'dist/kubelogin.cjs',
  format: 'cjs',
  plugins: [splitSlowPath],
});
await build({
  ...common,
  entryPoints: [...slowEntries],
  outdir: 'dist/slow',
  outExtension: { '.js': '.mjs' },
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  format: 'esm',
  splitting: true,
  packages: 'external',
  plugins: [shareErrorClasses],
});
