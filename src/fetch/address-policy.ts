/**
 * Which network addresses the fetcher may reach. Loopback, private, link-local, CGNAT, metadata,
 * multicast and reserved ranges are refused unless private access is explicitly allowed.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { FetchError } from './errors.ts';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible block
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** The IPv4 address embedded in an IPv4-mapped, -compatible or NAT64 IPv6 address, if any. */
function embeddedIpv4(ip: string): string | undefined {
  const m = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (m) return m[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!hex) return undefined;
  const hi = Number.parseInt(hex[1]!, 16);
  const lo = Number.parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True when `ip` (a literal IPv4 or IPv6 address) is not a public unicast address. */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(bare.toLowerCase());
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(bare, 'ipv6');
  }
  return true; // not an address at all: refuse
}

/** One resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses (injectable so tests need no DNS). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo, as sockets use it). */
export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** Host names that always mean this machine or its local network. */
const localNames = /^(localhost|.*\.localhost|.*\.local|.*\.internal|metadata)\.?$/i;

/** Which addresses a fetch may reach. */
export interface AddressPolicy {
  /** Allow every loopback and private address (`--allow-private`). @default false */
  allowPrivate?: boolean;
  /** Addresses or CIDR ranges allowed although private, e.g. `['127.0.0.1']` in tests. */
  allow?: readonly string[];
  /** Host name resolver (tests inject one). @default the system resolver */
  resolve?: Resolver;
}

/** True when the policy lets a connection go to `ip`. */
export function addressAllowed(ip: string, policy: AddressPolicy): boolean {
  if (policy.allowPrivate || !isPrivateAddress(ip)) return true;
  return (policy.allow ?? []).some((entry) => inRange(ip.replace(/^\[|\]$/g, ''), entry));
}

function inRange(ip: string, entry: string): boolean {
  const [net, bits] = entry.split('/');
  const family = isIP(net ?? '');
  if (!family || isIP(ip) !== family) return false;
  const list = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (bits === undefined) list.addAddress(net!, type);
  else list.addSubnet(net!, Number(bits), type);
  return list.check(ip, type);
}

/**
 * Resolves `hostname` (a URL's hostname: brackets allowed) and checks every address against the
 * policy; returns the address to connect to, so the socket is pinned to what was checked.
 * Throws FetchError `blocked` when an address is refused.
 */
export async function resolveAllowed(hostname: string, policy: AddressPolicy): Promise<ResolvedAddress> {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const family = isIP(host);
  if (family) {
    if (!addressAllowed(host, policy)) {
      throw new FetchError('blocked', `refusing private address ${host}; --allow-private allows it`);
    }
    return { address: host, family };
  }
  if (!policy.allowPrivate && localNames.test(host)) {
    throw new FetchError('blocked', `refusing local host name ${host}`);
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (policy.resolve ?? systemResolver)(host);
  } catch (err) {
    throw new FetchError('network', `cannot resolve ${host}: ${(err as Error).message}`, { cause: err });
  }
  const first = addresses[0];
  if (!first) throw new FetchError('network', `no address for ${host}`);
  const bad = addresses.find((a) => !addressAllowed(a.address, policy));
  if (bad) throw new FetchError('blocked', `${host} resolves to private address ${bad.address}`);
  return first;
}
