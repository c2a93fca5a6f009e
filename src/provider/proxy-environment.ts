/**
 * Which proxy a request to the provider goes through, read from HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY (or their lowercase forms) by the rules of Go's
 * net/http (golang.org/x/net/http/httpproxy), so that an environment behaves
 * as it does with the Go kubelogin: the uppercase name wins, a value without a
 * scheme means `http://`, https requests use HTTPS_PROXY only, and localhost
 * and loopback addresses never go through a proxy.
 */
import { BlockList, isIP } from 'node:net';
import { UsageError } from '../core/errors.ts';

/** A proxy named by an environment variable. */
export interface ProxyServer {
  url: URL;
  /** The variable it came from, for messages. */
  variable: string;
  /** `host:port`, without the credentials the URL may hold, for messages. */
  label: string;
}

/** The proxies of the environment and the NO_PROXY rules. */
export interface ProxyEnvironment {
  http: ProxyServer | undefined;
  https: ProxyServer | undefined;
  noProxy: NoProxyRules;
}

/** One NO_PROXY entry naming a host name or a domain. */
interface DomainRule {
  /** With a leading dot. */
  suffix: string;
  /** True when the entry had no leading dot: it matches the domain itself too. */
  matchesItself: boolean;
  /** Empty for any port. */
  port: string;
}

/** One NO_PROXY entry naming an IP address. */
interface AddressRule {
  address: string;
  port: string;
}

/** NO_PROXY, parsed. */
interface NoProxyRules {
  all: boolean;
  subnets: BlockList;
  addresses: AddressRule[];
  domains: DomainRule[];
}

/** Addresses that never go through a proxy, as in Go: the loopback networks. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** The default port of each scheme, which a NO_PROXY entry with a port is compared with. */
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** The first of `names` set to a non-empty value, as Go's getEnvAny. */
function firstSet(env: NodeJS.ProcessEnv, names: readonly string[]): { variable: string; value: string } | undefined {
  for (const variable of names) {
    const value = env[variable];
    if (value) return { variable, value };
  }
  return undefined;
}

/** Parses a proxy variable; a value without a scheme is an http proxy. */
function parseProxy(env: NodeJS.ProcessEnv, names: readonly string[]): ProxyServer | undefined {
  const set = firstSet(env, names);
  if (set === undefined) return undefined;
  const { variable, value } = set;
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    // The value is not shown: it may hold the proxy's password.
    throw new UsageError(`${variable} is not a valid proxy URL`, {
      hint: `set ${variable} to http://host:port (or unset it)`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${variable} must be an http:// or https:// proxy URL, not ${url.protocol}//`, {
      hint: `set ${variable} to http://host:port (or unset it)`,
    });
  }
  return { url, variable, label: url.host };
}

/** The IP version of `host` (without brackets) as BlockList names it, or undefined for a name. */
function ipFamily(host: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(host);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** Splits `host:port`, `[v6]:port`, `[v6]` or a bare host (an IPv6 address has several colons and no port). */
function splitHostPort(entry: string): { host: string; port: string } {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] ?? '' };
  const colon = entry.indexOf(':');
  if (colon === -1 || colon !== entry.lastIndexOf(':')) return { host: entry, port: '' };
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

/** Parses NO_PROXY: `*`, IP addresses and CIDR blocks, host names and domains, each optionally with a port. */
function parseNoProxy(value: string): NoProxyRules {
  const rules: NoProxyRules = { all: false, subnets: new BlockList(), addresses: [], domains: [] };
  for (const raw of value.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return { ...rules, all: true };
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    const cidrFamily = cidr && ipFamily(cidr[1] as string);
    if (cidr && cidrFamily) {
      rules.subnets.addSubnet(cidr[1] as string, Number(cidr[2]), cidrFamily);
      continue;
    }
    const { host, port } = splitHostPort(entry);
    if (host === '') continue;
    if (ipFamily(host)) {
      rules.addresses.push({ address: canonicalAddress(host), port });
      continue;
    }
    const domain = host.startsWith('*.') ? host.slice(1) : host;
    const matchesItself = !domain.startsWith('.');
    rules.domains.push({ suffix: matchesItself ? `.${domain}` : domain, matchesItself, port });
  }
  return rules;
}

/** One spelling per IP address, so that `::1` and `0:0::1` compare equal. */
function canonicalAddress(address: string): string {
  return ipFamily(address) === 'ipv6' ? new URL(`http://[${address}]`).hostname.slice(1, -1) : address;
}

/** True when NO_PROXY, or the loopback rule, sends a request to `url` directly. */
function bypassesProxy(rules: NoProxyRules, url: URL): boolean {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = url.port || (DEFAULT_PORTS[url.protocol] ?? '');
  const family = ipFamily(host);
  if (host === 'localhost' || (family && LOOPBACK.check(host, family))) return true;
  if (rules.all) return true;
  const portMatches = (rule: { port: string }) => rule.port === '' || rule.port === port;
  if (family) {
    if (rules.subnets.check(host, family)) return true;
    const address = canonicalAddress(host);
    if (rules.addresses.some((rule) => rule.address === address && portMatches(rule))) return true;
  }
  return rules.domains.some(
    (rule) =>
      (host.endsWith(rule.suffix) || (rule.matchesItself && host === rule.suffix.slice(1))) && portMatches(rule),
  );
}

/** Reads the proxy variables; a malformed proxy URL is a UsageError naming its variable. */
export function readProxyEnvironment(env: NodeJS.ProcessEnv): ProxyEnvironment {
  return {
    http: parseProxy(env, ['HTTP_PROXY', 'http_proxy']),
    https: parseProxy(env, ['HTTPS_PROXY', 'https_proxy']),
    noProxy: parseNoProxy(firstSet(env, ['NO_PROXY', 'no_proxy'])?.value ?? ''),
  };
}

/** The proxy a request to `url` goes through, or undefined to connect directly. */
export function proxyFor(environment: ProxyEnvironment, url: URL): ProxyServer | undefined {
  const proxy = url.protocol === 'https:' ? environment.https : url.protocol === 'http:' ? environment.http : undefined;
  if (proxy === undefined || bypassesProxy(environment.noProxy, url)) return undefined;
  return proxy;
}
