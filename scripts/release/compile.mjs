// Compiles the CLI into one standalone executable with Bun's compiler.
// Run by bun (Bun.build is its API), from scripts/release/release.mjs:
//   bun scripts/release/compile.mjs <bun target> <outfile> <version>
// Cross targets fetch their runtime from the npm registry by themselves.
const [target, outfile, version] = process.argv.slice(2);
if (!target || !outfile || !version)
  throw new Error('usage: bun scripts/release/compile.mjs <bun target> <outfile> <version>');

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

const result = await Bun.build({
  entrypoints: [new URL('../standalone-entry.ts', import.meta.url).pathname],
  // No .env or bunfig.toml of the user's working directory is read by the executable.
  compile: { target, outfile, autoloadDotenv: false, autoloadBunfig: false },
  minify: true,
  bytecode: true,
  define: { KUBELOGIN_VERSION: JSON.stringify(version) },
  plugins: [openUsesSystemXdgOpen],
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
