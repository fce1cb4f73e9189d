import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Partners choose webhook URLs and our functions call them (SSRF). A URL is refused unless it
 * is https and its host is, and resolves only to, public unicast addresses. The ranges are
 * ipaddr.js's (IANA special-purpose registries), not a list of our own.
 */

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Every address a host name resolves to, as `dns.lookup(host, { all: true })` answers. */
export type LookupAll = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export type HostCheck =
  | { readonly ok: true; readonly address: string; readonly family: 4 | 6 }
  | { readonly ok: false; readonly problem: string };

export interface AddressCheckOptions {
  /** `WEBHOOK_ALLOW_LOCAL`: also http:// and loopback, for a receiver on this machine. */
  readonly allowLocal: boolean;
}

// The resolver's own order: it puts first the family this machine can reach.
const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, order: 'verbatim' });

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const RANGE_WORDS: Readonly<Record<string, string>> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address (such as the cloud metadata service)',
  uniqueLocal: 'a unique-local address',
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  carrierGradeNat: 'a carrier-grade NAT address',
  reserved: 'a reserved address',
};

const wordsFor = (range: string): string =>
  RANGE_WORDS[range] ?? `a special-purpose address (${range})`;

/**
 * Global unicast space (RFC 4291, IANA): ipaddr.js calls every IPv6 address outside its
 * special ranges 'unicast', also ::/96 (IPv4-compatible, which can embed 127.0.0.1) and the
 * unassigned rest of ::/8, so IPv6 must also lie in 2000::/3.
 */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/** What makes an address unfit for a webhook, or undefined when it is fit. */
const rangeProblem = (
  address: Address,
  { allowLocal }: AddressCheckOptions,
): string | undefined => {
  const range = address.range();
  if (range === 'loopback' && allowLocal) return undefined;
  if (address.kind() === 'ipv6') {
    const v6 = address as ipaddr.IPv6;
    // Refused whatever it embeds (the socket would reach the IPv4 address); the words say what.
    if (v6.isIPv4MappedAddress()) {
      return `an IPv4-mapped address (of ${wordsFor(v6.toIPv4Address().range())})`;
    }
    if (range === 'unicast' && !v6.match(GLOBAL_UNICAST_V6)) {
      return 'not a global unicast address';
    }
  }
  return range === 'unicast' ? undefined : wordsFor(range);
};

const refusal = (host: string, address: string, problem: string) =>
  host === address
    ? `The host ${host} is ${problem}; webhooks go to public addresses only.`
    : `The host ${host} resolves to ${address}, ${problem}; webhooks go to public addresses only.`;

const unbracketed = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;

/**
 * The host as an IP address when it is one. ipaddr.js also reads the short, octal and hex IPv4
 * forms (127.1, 0x7f.1) the way the system resolver does, for hosts that did not come through
 * the WHATWG URL parser (which rewrites them to dotted decimal).
 */
const ipLiteral = (host: string): Address | undefined => {
  const bare = unbracketed(host);
  return ipaddr.isValid(bare) ? ipaddr.parse(bare) : undefined;
};

/**
 * Checks what can be checked without the network: scheme, credentials, fragment, host, and an
 * IP literal host's range. Undefined when the URL may be registered (the host still has to
 * pass `checkResolvedHost`).
 */
export const webhookUrlProblem = (
  url: string,
  options: AddressCheckOptions,
): string | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Not a valid URL.';
  }
  if (parsed.protocol !== 'https:' && !(options.allowLocal && parsed.protocol === 'http:')) {
    return options.allowLocal ? 'Use an https:// or http:// URL.' : 'Use an https:// URL.';
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return 'A webhook URL cannot carry a user name or password.';
  }
  // `hash` is '' for an empty fragment too; the serialization keeps its '#'.
  if (parsed.href.includes('#')) return 'A webhook URL has no #fragment.';
  if (parsed.hostname === '') return 'The URL needs a host.';
  const literal = ipLiteral(parsed.hostname);
  if (literal === undefined) return undefined;
  const problem = rangeProblem(literal, options);
  return problem && refusal(unbracketed(parsed.hostname), literal.toString(), problem);
};

const familyOf = (address: Address): 4 | 6 => (address.kind() === 'ipv4' ? 4 : 6);

/**
 * Resolves every address of `host` and refuses if ANY is unfit: an attacker's DNS can answer
 * a public and a private address and let the connection pick. On success it gives the first
 * address (the resolver's preferred order); the caller connects to exactly that one, so a
 * later answer for the same name (DNS rebinding) is never used.
 */
export const checkResolvedHost = async (
  host: string,
  options: AddressCheckOptions & { readonly lookup?: LookupAll },
): Promise<HostCheck> => {
  const name = unbracketed(host);
  const literal = ipLiteral(name);
  if (literal !== undefined) {
    const problem = rangeProblem(literal, options);
    if (problem) return { ok: false, problem: refusal(name, literal.toString(), problem) };
    return { ok: true, address: literal.toString(), family: familyOf(literal) };
  }

  let answers: readonly ResolvedAddress[];
  try {
    answers = await (options.lookup ?? systemLookup)(name);
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    return {
      ok: false,
      problem: `The host ${name} does not resolve${typeof code === 'string' ? ` (${code})` : ''}.`,
    };
  }
  if (answers.length === 0) return { ok: false, problem: `The host ${name} has no address.` };

  const addresses: Address[] = [];
  for (const { address } of answers) {
    if (!ipaddr.isValid(address)) {
      return { ok: false, problem: `The host ${name} resolves to ${address}, not an IP address.` };
    }
    const parsed = ipaddr.parse(address);
    const problem = rangeProblem(parsed, options);
    if (problem) return { ok: false, problem: refusal(name, parsed.toString(), problem) };
    addresses.push(parsed);
  }
  const [chosen] = addresses as [Address, ...Address[]];
  return { ok: true, address: chosen.toString(), family: familyOf(chosen) };
};
