/**
 * Reading what `kubelogin setup` prints, and running setup against the test provider.
 *
 * The report is made of `## <title>` sections: the claims (pretty JSON, then the `iat`/`exp` lines),
 * the checks (`  <status>  <name>: <reason>`), the kubeconfig (a `kubectl config set-credentials`
 * command spanning lines that end with ` \`, then a YAML fragment), the API server configuration
 * and a role binding.
 */
import { parse } from 'yaml';
import { HTTP_LOGIN_COMMAND } from './browser/drivers.ts';
import type { CliResult } from './run-cli.ts';
import type { World, WorldRunOptions } from './world.ts';

/** One check as printed. */
export interface PrintedCheck {
  status: string;
  name: string;
  reason: string;
}

/** The names of the checks, in the order setup prints them (email_verified only with --username-claim=email). */
export const CHECK_NAMES = [
  'issuer',
  'https issuer',
  'audience',
  'signing algorithm',
  'username claim',
  'email_verified',
  'groups claim',
  'refresh token',
  'renewal',
  'lifetime',
];

/** `setup` and the flags that log in at `issuer` through the HTTP login driver on any free port. */
export function setupArgs(issuer: string, extra: readonly string[] = []): string[] {
  return [
    'setup',
    `--oidc-issuer-url=${issuer}`,
    '--listen-address=127.0.0.1:0',
    `--browser-command=${HTTP_LOGIN_COMMAND}`,
    ...extra,
  ];
}

/** Runs `setup` against the world's provider with `extra` flags, as the world runs the CLI. */
export function runSetup(
  world: Pick<World, 'provider' | 'run'>,
  extra: readonly string[],
  options: WorldRunOptions = {},
): Promise<CliResult> {
  return world.run(setupArgs(world.provider.issuer, extra), options);
}

/** The body of the section titled `title` (up to the next `## ` heading). */
export function section(stdout: string, title: string): string {
  const start = stdout.indexOf(`## ${title}\n`);
  if (start === -1) throw new Error(`no section "## ${title}" in:\n${stdout}`);
  const body = stdout.slice(start + title.length + 4);
  const end = body.search(/^## /m);
  return end === -1 ? body : body.slice(0, end);
}

/** The claims JSON of the report, parsed, and its raw text. */
export function printedClaims(stdout: string): { claims: Record<string, unknown>; json: string } {
  const body = section(stdout, 'Claims of the ID token');
  const match = /^\n(\{\n[\s\S]*?\n\})\n/.exec(body);
  if (match === null) throw new Error(`no pretty JSON object at the start of the claims section:\n${body}`);
  const json = match[1] as string;
  return { claims: JSON.parse(json) as Record<string, unknown>, json };
}

/** The `iat` and `exp` lines, e.g. `2026-11-23 01:15:22 +05:30` and `... (lifetime 30s)`. */
export function printedTimes(stdout: string): { iat: string | undefined; exp: string | undefined } {
  const body = section(stdout, 'Claims of the ID token');
  return { iat: /^ {2}iat {2}(.+)$/m.exec(body)?.[1], exp: /^ {2}exp {2}(.+)$/m.exec(body)?.[1] };
}

/** The checks in printed order. */
export function printedChecks(stdout: string): PrintedCheck[] {
  return section(stdout, 'Checks')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^ {2}(\S+)\s+([^:]+): (.+)$/.exec(line);
      if (match === null) throw new Error(`not a check line: ${JSON.stringify(line)}`);
      return { status: match[1] as string, name: match[2] as string, reason: match[3] as string };
    });
}

/** The check named `name`; fails when it is missing. */
export function checkNamed(stdout: string, name: string): PrintedCheck {
  const check = printedChecks(stdout).find((candidate) => candidate.name === name);
  if (check === undefined) throw new Error(`no check "${name}" in:\n${section(stdout, 'Checks')}`);
  return check;
}

/** The printed `kubectl config set-credentials ...` command, continuation lines and all. */
export function printedSetCredentials(stdout: string): string {
  const lines = section(stdout, 'kubeconfig').split('\n');
  const first = lines.findIndex((line) => line.startsWith('kubectl config set-credentials '));
  if (first === -1) throw new Error(`no set-credentials command in:\n${stdout}`);
  const command: string[] = [];
  for (const line of lines.slice(first)) {
    command.push(line);
    if (!line.endsWith(' \\')) break;
  }
  return command.join('\n');
}

/** The printed kubeconfig fragment: the user and, with --provide-cluster-info, the cluster's exec extension. */
export interface PrintedKubeconfigFragment {
  users: Array<{ name: string; user: { exec: Record<string, unknown> } }>;
  clusters?: Array<{ name: string; cluster: { extensions: Array<{ name: string; extension: unknown }> } }>;
}

/** The printed kubeconfig fragment (`users:` to the end of the section), parsed. */
export function printedKubeconfigFragment(stdout: string): PrintedKubeconfigFragment {
  const body = section(stdout, 'kubeconfig');
  const start = body.search(/^users:$/m);
  if (start === -1) throw new Error(`no users: fragment in:\n${body}`);
  return parse(body.slice(start)) as PrintedKubeconfigFragment;
}

/** The YAML documents of the API server section: the AuthenticationConfiguration, and the legacy flags. */
export function printedApiServer(stdout: string): { authentication: Record<string, unknown>; legacyFlags: string[] } {
  const body = section(stdout, 'API server');
  const start = body.search(/^apiVersion: /m);
  const end = body.indexOf('\nor with the legacy flags');
  if (start === -1 || end === -1) throw new Error(`unexpected API server section:\n${body}`);
  const legacyFlags = body
    .slice(end)
    .split('\n')
    .filter((line) => line.startsWith('--'));
  return { authentication: parse(body.slice(start, end)) as Record<string, unknown>, legacyFlags };
}

/** The kuberc Preference of the kuberc section, parsed. */
export function printedKuberc(stdout: string): Record<string, unknown> {
  const body = section(stdout, 'kuberc');
  const start = body.search(/^apiVersion: /m);
  if (start === -1) throw new Error(`no Preference in:\n${body}`);
  return parse(body.slice(start)) as Record<string, unknown>;
}

/** The ClusterRoleBinding of the role binding section, parsed, and the username the text names. */
export function printedRoleBinding(stdout: string): { binding: Record<string, unknown>; seenAs: string | undefined } {
  const body = section(stdout, 'Role binding');
  const start = body.search(/^apiVersion: /m);
  if (start === -1) throw new Error(`no ClusterRoleBinding in:\n${body}`);
  return {
    binding: parse(body.slice(start)) as Record<string, unknown>,
    seenAs: /will see you as (\S+?)\.\s/.exec(body)?.[1],
  };
}

/** `YYYY-MM-DD HH:MM:SS +HH:MM` of `epochSeconds` at a fixed UTC offset, computed without the local time zone. */
export function timeAtOffset(epochSeconds: number, offsetMinutes: number): string {
  const shifted = new Date((epochSeconds + offsetMinutes * 60) * 1000).toISOString();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)} ${sign}${hours}:${minutes}`;
}

/**
 * Asserts nothing, returns the problem: undefined when stderr is one `error: ...` line (plus at
 * most one `hint: ...` line) that contains every string of `mentions`, a description otherwise.
 */
export function oneLineErrorProblem(stderr: string, mentions: readonly string[] = []): string | undefined {
  const lines = stderr.split('\n').filter((line) => line !== '');
  const [first, second, ...rest] = lines;
  if (first === undefined || !first.startsWith('error: '))
    return `stderr does not start with "error: ": ${JSON.stringify(stderr)}`;
  if (second !== undefined && !second.startsWith('hint: '))
    return `the second line is not a hint: ${JSON.stringify(stderr)}`;
  if (rest.length > 0) return `stderr has more than an error and a hint line: ${JSON.stringify(stderr)}`;
  for (const mention of mentions)
    if (!first.includes(mention)) return `the error line does not mention ${mention}: ${JSON.stringify(first)}`;
  return undefined;
}
