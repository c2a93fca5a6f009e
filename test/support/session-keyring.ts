/**
 * A private Secret Service for keyring tests: a D-Bus session bus of its own
 * and gnome-keyring-daemon on it with an unlocked login keyring, in a
 * temporary HOME. Any number of CLI processes can use it through `env`.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runProcess } from './run-process.ts';

/** The Debian packages that provide the programs below. */
const PACKAGES = ['gnome-keyring', 'dbus', 'libsecret-tools'];
/** The programs the tests run: the bus, the Secret Service, a bus query and a keyring reader. */
const PROGRAMS = ['dbus-daemon', 'gnome-keyring-daemon', 'dbus-send', 'secret-tool'];
/** The error message when the programs are missing and cannot be installed from here. */
const MISSING_MESSAGE = `the keyring tests need a Secret Service: run 'apt-get install -y ${PACKAGES.join(' ')}' as root`;
/** apt-get must not stop to ask anything. */
const APT_ENV = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
/** The password of the throwaway login keyring. */
const KEYRING_PASSWORD = 'kubelogin-test';
/** The Secret Service's bus name. */
const SECRETS_BUS_NAME = 'org.freedesktop.secrets';
/** How long the daemons may take to come up: well under a second here, generous for a loaded CI machine. */
const STARTUP_TIMEOUT_MS = 15_000;
/** How often readiness is checked while starting. */
const STARTUP_POLL_MS = 50;
/** Deadline of one helper process (a bus query, a keyring read). */
const HELPER_TIMEOUT_MS = 10_000;

/**
 * A session bus without service activation: nothing but the daemon started
 * here can answer for the Secret Service (no second, locked gnome-keyring
 * and no password prompter started behind the test's back).
 */
function busConfig(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

/** A running private Secret Service. */
export interface SessionKeyring {
  /** DBUS_SESSION_BUS_ADDRESS of the bus, for the CLI's environment. */
  env: NodeJS.ProcessEnv;
  /** The accounts (`username` attributes) of a service's entries, read with secret-tool. */
  accounts(service: string): Promise<string[]>;
  /** Stores `secret` under an account of a service with secret-tool, as any program on the bus could. */
  store(service: string, account: string, secret: string): void;
  /** The secret of an account of a service, read with secret-tool; undefined when there is none. */
  lookup(service: string, account: string): Promise<string | undefined>;
  /** Removes the item of an account of a service, as another program might. */
  remove(service: string, account: string): Promise<void>;
  /** Locks the login keyring, as a screen lock or a new session would. */
  lock(): Promise<void>;
  /** Stops both daemons and deletes their files. */
  close(): Promise<void>;
}

/** Makes sure the programs are there, installing the Debian packages when missing and running as root. */
export function ensureKeyringPrograms(): void {
  if (PROGRAMS.every(isOnPath)) return;
  if (process.getuid?.() !== 0) throw new Error(MISSING_MESSAGE);
  try {
    execFileSync('apt-get', ['update'], { env: APT_ENV, stdio: 'pipe' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], { env: APT_ENV, stdio: 'pipe' });
  } catch (cause) {
    throw new Error(MISSING_MESSAGE, { cause });
  }
  if (!PROGRAMS.every(isOnPath)) throw new Error(MISSING_MESSAGE);
}

function isOnPath(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts a session bus and an unlocked gnome-keyring on it. */
export async function startSessionKeyring(): Promise<SessionKeyring> {
  ensureKeyringPrograms();
  const home = await mkdtemp(join(tmpdir(), 'kubelogin-keyring-'));
  const config = join(home, 'bus.conf');
  await writeFile(config, busConfig(join(home, 'bus')));
  const children: ChildProcess[] = [];
  // If the test process dies without closing, the daemons must not outlive it.
  const killOnExit = () => {
    for (const child of children) child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  const close = async () => {
    process.off('exit', killOnExit);
    for (const child of children.reverse()) await stop(child);
    await rm(home, { recursive: true, force: true });
  };
  try {
    const bus = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(bus);
    const address = (await firstLine(bus, 'dbus-daemon')).trim();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      DBUS_SESSION_BUS_ADDRESS: address,
      XDG_RUNTIME_DIR: home,
    };
    delete env.XDG_DATA_HOME;
    // --unlock reads the login keyring's password on stdin, creating the keyring when there is none.
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(keyring);
    keyring.stdin.end(KEYRING_PASSWORD);
    await waitForBusName(env, keyring);
    const busEnv = { DBUS_SESSION_BUS_ADDRESS: address };
    return {
      env: busEnv,
      accounts: (service) => readAccounts(env, service),
      lookup: (service, account) => lookupSecret(env, service, account),
      remove: (service, account) => removeSecret(env, service, account),
      store: (service, account, secret) => {
        execFileSync('secret-tool', ['store', '--label=planted', 'service', service, 'username', account], {
          env,
          input: secret,
          timeout: HELPER_TIMEOUT_MS,
        });
      },
      lock: () => lockLoginKeyring(env),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Resolves with the first line a child prints on stdout; rejects when it exits first. */
function firstLine(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${stderr}`)));
  });
}

/** Waits until the Secret Service owns its name on the bus. */
async function waitForBusName(env: NodeJS.ProcessEnv, daemon: ChildProcess): Promise<void> {
  let stderr = '';
  daemon.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null) throw new Error(`gnome-keyring-daemon exited with ${daemon.exitCode}: ${stderr}`);
    const query = await runProcess(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        `string:${SECRETS_BUS_NAME}`,
      ],
      { env, timeoutMs: HELPER_TIMEOUT_MS },
    );
    if (query.code === 0 && query.stdout.includes('boolean true')) return;
    await sleep(STARTUP_POLL_MS);
  }
  throw new Error(`gnome-keyring-daemon did not take ${SECRETS_BUS_NAME} within ${STARTUP_TIMEOUT_MS} ms: ${stderr}`);
}

/** The `username` attributes of the entries of a service; secret-tool prints attributes on stderr. */
async function readAccounts(env: NodeJS.ProcessEnv, service: string): Promise<string[]> {
  const result = await runProcess('secret-tool', ['search', '--all', 'service', service], {
    env,
    timeoutMs: HELPER_TIMEOUT_MS,
  });
  if (result.code !== 0) throw new Error(`secret-tool search failed: ${result.stderr}`);
  return [...result.stderr.matchAll(/^attribute\.username = (.*)$/gm)].map((match) => match[1] as string);
}

/** The secret stored for an account of a service. */
async function lookupSecret(env: NodeJS.ProcessEnv, service: string, account: string): Promise<string | undefined> {
  const result = await runProcess('secret-tool', ['lookup', 'service', service, 'username', account], {
    env,
    timeoutMs: HELPER_TIMEOUT_MS,
  });
  if (result.code === 0) return result.stdout;
  if (result.stderr === '') return undefined;
  throw new Error(`secret-tool lookup failed: ${result.stderr}`);
}

/** Removes the item stored for an account of a service. */
async function removeSecret(env: NodeJS.ProcessEnv, service: string, account: string): Promise<void> {
  const result = await runProcess('secret-tool', ['clear', 'service', service, 'username', account], {
    env,
    timeoutMs: HELPER_TIMEOUT_MS,
  });
  if (result.code !== 0) throw new Error(`secret-tool clear failed: ${result.stderr}`);
}

/** Locks every collection through the Secret Service's own Lock method (no prompt needed). */
async function lockLoginKeyring(env: NodeJS.ProcessEnv): Promise<void> {
  const result = await runProcess(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      `--dest=${SECRETS_BUS_NAME}`,
      '/org/freedesktop/secrets',
      'org.freedesktop.Secret.Service.Lock',
      'array:objpath:/org/freedesktop/secrets/collection/login',
    ],
    { env, timeoutMs: HELPER_TIMEOUT_MS },
  );
  if (result.code !== 0) throw new Error(`locking the keyring failed: ${result.stderr}`);
}

/** Ends a daemon started here and waits for it. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
