/**
 * `npm run bench`: the start-up cost of a cache hit, the path kubectl pays on
 * every command. Logs in once against the embedded test provider, then runs,
 * interleaved so that machine noise hits all alike:
 *   - `node -e 0` (Node's own start-up),
 *   - a trivial script that only prints a fixed ExecCredential (the floor of any Node CLI),
 *   - `kubelogin get-token` answered from the cache (the CLI under test: see
 *     test/support/cli-command.ts, KUBELOGIN_CLI included),
 *   - the standalone Linux executable's cache hit, when `npm run release` has
 *     built it (release/, or KUBELOGIN_RELEASE_DIR),
 * each with stdout on a pipe as kubectl has it, with NODE_EXTRA_CA_CERTS unset
 * and set to the system bundle. Prints medians, ratios and peak memory (by GNU
 * time when /usr/bin/time exists, else by a script preloaded through
 * NODE_OPTIONS, so n/a for the executable), then the size of each release zip.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliArgv } from '../test/support/cli-command.ts';
import { RELEASE_DIR, readZip } from '../test/support/release-files.ts';
import { startWorld } from '../test/support/world.ts';

/** Rounds of the interleaved runs; 40 gives stable medians in about 20 s here. */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
/** The bundle this machine sets in NODE_EXTRA_CA_CERTS, which alone makes Node start about 3x slower. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** GNU time (Debian's `time` package): its %M is the child's peak RSS in KiB, for any program. */
const GNU_TIME = '/usr/bin/time';
/** The release zip whose executable runs on this machine. */
const LINUX_ZIP = join(RELEASE_DIR, 'kubelogin_linux_amd64.zip');

const fixture = await startWorld({ runner: 'subprocess' });
try {
  const login = await fixture.getToken();
  if (login.code !== 0) throw new Error(`the login before the benchmark failed: ${login.stderr}`);

  const trivial = join(fixture.home.home, 'trivial.cjs');
  const credential = login.stdout;
  writeFileSync(trivial, `process.stdout.write(${JSON.stringify(credential)});\n`);
  const recorder = join(fixture.home.home, 'max-rss.cjs');
  writeFileSync(
    recorder,
    `process.on('exit', () => require('node:fs').writeFileSync(process.env.RSS_OUT, String(process.resourceUsage().maxRSS)));`,
  );

  const cacheHit = cliArgv(fixture.args);
  const commands: Record<string, [command: string, ...args: string[]]> = {
    'node -e 0': [process.execPath, '-e', '0'],
    'trivial script': [process.execPath, trivial],
    'cache hit': cacheHit,
  };
  if (existsSync(LINUX_ZIP)) {
    const executable = join(fixture.home.home, 'kubelogin');
    writeFileSync(executable, readZip(LINUX_ZIP).find((entry) => entry.name === 'kubelogin')!.bytes);
    chmodSync(executable, 0o755);
    commands['executable hit'] = [executable, ...fixture.args];
  } else {
    console.log(`(no ${LINUX_ZIP}: run npm run release to bench the standalone executable)`);
  }
  const baseEnv: NodeJS.ProcessEnv = { ...fixture.env };
  delete baseEnv['NODE_EXTRA_CA_CERTS'];
  const variants: Record<string, NodeJS.ProcessEnv> = {
    'NODE_EXTRA_CA_CERTS unset': baseEnv,
    [`NODE_EXTRA_CA_CERTS=${SYSTEM_CA_BUNDLE}`]: { ...baseEnv, NODE_EXTRA_CA_CERTS: SYSTEM_CA_BUNDLE },
  };

  /** Runs `argv` (program first) and returns how long it took in milliseconds. */
  const run = (argv: [command: string, ...args: string[]], env: NodeJS.ProcessEnv): number => {
    const [command, ...args] = argv;
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
    // Every command but `node -e 0` (which prints nothing) must print the cached credential.
    const stdout = result.stdout.toString();
    if (stdout !== '' && stdout !== credential) throw new Error(`${argv.join(' ')} printed another credential`);
    return elapsed;
  };
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };

  for (const [variant, env] of Object.entries(variants)) {
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, args] of Object.entries(commands)) times[name]!.push(run(args, env));
    }
    const floor = median(times['node -e 0']!);
    const trivialMedian = median(times['trivial script']!);
    console.log(`\n${variant} (${ROUNDS} interleaved runs each, stdout on a pipe)`);
    console.log('command          median ms  vs node -e 0  vs trivial  peak RSS MiB');
    for (const [name, argv] of Object.entries(commands)) {
      const rssFile = join(fixture.home.home, 'rss');
      rmSync(rssFile, { force: true });
      if (existsSync(GNU_TIME)) run([GNU_TIME, '-f', '%M', '-o', rssFile, ...argv], env);
      else run(argv, { ...env, NODE_OPTIONS: `--require ${recorder}`, RSS_OUT: rssFile });
      const rssMiB = existsSync(rssFile) ? (Number(readFileSync(rssFile, 'utf8')) / 1024).toFixed(1) : 'n/a';
      const value = median(times[name]!);
      console.log(
        `${name.padEnd(16)} ${value.toFixed(1).padStart(9)}  ${(value / floor).toFixed(2).padStart(11)}x  ${(value / trivialMedian).toFixed(2).padStart(9)}x  ${rssMiB.padStart(12)}`,
      );
    }
  }
  if (existsSync(RELEASE_DIR)) {
    console.log(`\nrelease zips in ${RELEASE_DIR}`);
    for (const name of readdirSync(RELEASE_DIR).filter((file) => file.endsWith('.zip'))) {
      console.log(`${name.padEnd(32)} ${(statSync(join(RELEASE_DIR, name)).size / 1e6).toFixed(1).padStart(6)} MB`);
    }
  }
} finally {
  await fixture.close();
}
