/**
 * `npm run bench`: what a cache hit costs against the floor of its runtime, the price kubectl
 * pays on every command. Logs in once against the embedded test provider, then runs, interleaved
 * so that machine noise hits all alike, each with stdout on a pipe as kubectl has it:
 *   - the standalone executable's cache hit (the release's for this machine when `npm run release`
 *     has built it, in release/ or KUBELOGIN_RELEASE_DIR, else compiled here: see
 *     scripts/bench/executables.ts),
 *   - the empty executable: the release's compile settings, writing a fixed ExecCredential to
 *     file descriptor 1 and nothing else (the floor of the executable), and the same through
 *     `process.stdout`,
 *   - the npm build's cache hit (`node bin/kubelogin.cjs`),
 *   - a trivial Node script writing the same fixed ExecCredential to file descriptor 1 (the floor
 *     of any Node CLI), and the same through `process.stdout`,
 *   - `node -e 0` (Node's own start-up),
 * with NODE_EXTRA_CA_CERTS unset and set to the system bundle. Every executable runs from a copy
 * written the same way (see `staged`), so that their page caches, and so their RSS, compare. Prints medians of wall time and of
 * peak RSS (by GNU time when /usr/bin/time exists, else by a script preloaded through
 * NODE_OPTIONS, so n/a for the executables), each against its runtime's floor, then the size of
 * each release zip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliArgv, NPM_CLI } from '../test/support/cli-command.ts';
import { RELEASE_DIR, readZip } from '../test/support/release-files.ts';
import { startWorld } from '../test/support/world.ts';
import { EMPTY_EXECUTABLES, emptyExecutable, HOST_PLATFORM, kubeloginExecutable, staged } from './bench/executables.ts';
import { FIXED_CREDENTIAL } from './bench/fixed-credential.ts';

/** Rounds of the interleaved runs: medians of at least 30 are what the targets are stated in. */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 40);
/** The bundle this machine sets in NODE_EXTRA_CA_CERTS, which alone makes Node start about 3x slower. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
/** GNU time (Debian's `time` package): its %M is the child's peak RSS in KiB, for any program. */
const GNU_TIME = '/usr/bin/time';
/** The login's ID token outlives the benchmark, so every run after it is a hit. */
const ID_TOKEN_TTL_SECONDS = 3600;
/** Bytes in a MiB, for the RSS columns. */
const MIB = 1024 * 1024;

/** A program the benchmark runs, and what it must print. */
interface Command {
  argv: [command: string, ...args: string[]];
  stdout: string;
  /** The row this one is compared with (itself for a floor). */
  floor: string;
}

const world = await startWorld({ runner: 'subprocess', provider: { idTokenTTL: ID_TOKEN_TTL_SECONDS } });
try {
  const login = await world.getToken();
  if (login.code !== 0) throw new Error(`the login before the benchmark failed: ${login.stderr}`);
  const credential = login.stdout;
  const home = world.home.home;

  const trivial = join(home, 'trivial.cjs');
  writeFileSync(trivial, `require('node:fs').writeSync(1, ${JSON.stringify(FIXED_CREDENTIAL)});\n`);
  const trivialStdout = join(home, 'trivial-stdout.cjs');
  writeFileSync(trivialStdout, `process.stdout.write(${JSON.stringify(FIXED_CREDENTIAL)});\n`);
  const recorder = join(home, 'max-rss.cjs');
  writeFileSync(
    recorder,
    `process.on('exit', () => require('node:fs').writeFileSync(process.env.RSS_OUT, String(process.resourceUsage().maxRSS)));`,
  );

  const commands: Record<string, Command> = {};
  if (HOST_PLATFORM) {
    const executable = kubeloginExecutable(HOST_PLATFORM, RELEASE_DIR, home, (zip, name) => {
      const entry = readZip(zip).find((e) => e.name === name);
      if (!entry) throw new Error(`${zip} holds no ${name}`);
      return entry.bytes;
    });
    console.log(`executable: ${executable.origin}`);
    commands['executable hit'] = {
      argv: [staged(executable.path, join(home, 'executable-hit')), ...world.args],
      stdout: credential,
      floor: 'empty executable',
    };
    for (const name of Object.keys(EMPTY_EXECUTABLES) as (keyof typeof EMPTY_EXECUTABLES)[]) {
      commands[name] = {
        argv: [staged(emptyExecutable(name, HOST_PLATFORM), join(home, name.replaceAll(/\W+/g, '-')))],
        stdout: FIXED_CREDENTIAL,
        floor: 'empty executable',
      };
    }
  } else {
    console.log(`(no release executable runs on ${process.platform} ${process.arch}: benching the npm build only)`);
  }
  commands['npm hit'] = { argv: cliArgv(world.args, NPM_CLI), stdout: credential, floor: 'trivial Node script' };
  commands['trivial Node script'] = {
    argv: [process.execPath, trivial],
    stdout: FIXED_CREDENTIAL,
    floor: 'trivial Node script',
  };
  commands['trivial Node script, stdout stream'] = {
    argv: [process.execPath, trivialStdout],
    stdout: FIXED_CREDENTIAL,
    floor: 'trivial Node script',
  };
  commands['node -e 0'] = { argv: [process.execPath, '-e', '0'], stdout: '', floor: 'trivial Node script' };

  const baseEnv: NodeJS.ProcessEnv = { ...world.env };
  delete baseEnv['NODE_EXTRA_CA_CERTS'];
  const variants: Record<string, NodeJS.ProcessEnv> = {
    'NODE_EXTRA_CA_CERTS unset': baseEnv,
    [`NODE_EXTRA_CA_CERTS=${SYSTEM_CA_BUNDLE}`]: { ...baseEnv, NODE_EXTRA_CA_CERTS: SYSTEM_CA_BUNDLE },
  };
  const rssFile = join(home, 'rss');

  /** Runs `command` and returns how long it took in milliseconds; fails unless it printed what it must. */
  const timed = (name: string, command: Command, env: NodeJS.ProcessEnv): number => {
    const [program, ...args] = command.argv;
    const start = process.hrtime.bigint();
    const result = spawnSync(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    if (result.stdout.toString() !== command.stdout) throw new Error(`${name} printed something else`);
    return elapsed;
  };
  /** Runs `command` once more to read its peak RSS in bytes; undefined when it cannot be read. */
  const peakRss = (name: string, command: Command, env: NodeJS.ProcessEnv): number | undefined => {
    rmSync(rssFile, { force: true });
    if (existsSync(GNU_TIME)) {
      const [program, ...args] = command.argv;
      const result = spawnSync(GNU_TIME, ['-f', '%M', '-o', rssFile, program, ...args], { env, stdio: 'ignore' });
      if (result.status !== 0) throw new Error(`${name} failed under ${GNU_TIME}`);
      return Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024;
    }
    if (command.argv[0] !== process.execPath) return undefined;
    const [program, ...args] = command.argv;
    spawnSync(program, args, {
      env: { ...env, NODE_OPTIONS: `--require ${recorder}`, RSS_OUT: rssFile },
      stdio: 'ignore',
    });
    return existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) * 1024 : undefined;
  };
  const median = (values: readonly number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    return sorted.length % 2 === 1
      ? (sorted[Math.floor(middle)] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  };

  const names = Object.keys(commands);
  for (const [variant, env] of Object.entries(variants)) {
    const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const rss: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with another command, so that no command always follows the same one.
      for (let i = 0; i < names.length; i++) {
        const name = names[(round + i) % names.length] as string;
        const command = commands[name] as Command;
        times[name]!.push(timed(name, command, env));
        const peak = peakRss(name, command, env);
        if (peak !== undefined) rss[name]!.push(peak);
      }
    }
    console.log(`\n${variant} (medians of ${ROUNDS} interleaved runs each, stdout on a pipe)`);
    console.log(
      `${'command'.padEnd(36)} ${'wall ms'.padStart(8)} ${'vs floor'.padStart(9)} ${'peak RSS MiB'.padStart(13)} ${'vs floor'.padStart(9)}`,
    );
    for (const name of names) {
      const command = commands[name] as Command;
      const wall = median(times[name]!);
      const floorWall = median(times[command.floor]!);
      const peak = rss[name]!.length > 0 ? median(rss[name]!) : undefined;
      const floorPeak = rss[command.floor]!.length > 0 ? median(rss[command.floor]!) : undefined;
      const rssColumns =
        peak === undefined
          ? `${'n/a'.padStart(13)} ${''.padStart(9)}`
          : `${(peak / MIB).toFixed(1).padStart(13)} ${floorPeak === undefined ? '' : `${(peak / floorPeak).toFixed(2)}x`.padStart(9)}`;
      console.log(
        `${name.padEnd(36)} ${wall.toFixed(1).padStart(8)} ${`${(wall / floorWall).toFixed(2)}x`.padStart(9)} ${rssColumns}`,
      );
    }
  }
  if ((await world.browserRuns()) !== 1)
    throw new Error('a run of the benchmark logged in again: not every run was a hit');
  if (existsSync(RELEASE_DIR)) {
    console.log(`\nrelease zips in ${RELEASE_DIR}`);
    for (const name of readdirSync(RELEASE_DIR).filter((file) => file.endsWith('.zip'))) {
      console.log(`${name.padEnd(32)} ${(statSync(join(RELEASE_DIR, name)).size / 1e6).toFixed(1).padStart(6)} MB`);
    }
  }
} finally {
  await world.close();
}
