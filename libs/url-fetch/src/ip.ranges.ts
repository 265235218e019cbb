import { inCidr, parseCidr, type Cidr, type IpBytes } from './ip.address.ts';

/** Why an address may not be fetched from. */
export type NonPublicKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

/** How an IPv6 address carries the IPv4 address it was judged by. */
export type Embedding = 'ipv4-mapped' | 'ipv4-compatible' | 'nat64' | '6to4' | 'teredo';

export interface NonPublic {
  kind: NonPublicKind;
  /** Set when the verdict came from an IPv4 address embedded in an IPv6 one. */
  via?: Embedding;
}

type Range = { cidr: Cidr; kind: NonPublicKind };
const range = (text: string, kind: NonPublicKind): Range => ({ cidr: parseCidr(text), kind });

// First match wins, so narrow entries come before the wide ones they sit in.
const V4: readonly Range[] = [
  range('0.0.0.0/8', 'unspecified'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'shared'), // carrier-grade NAT
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'), // includes the 169.254.169.254 metadata service
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'reserved'),
  range('192.0.2.0/24', 'documentation'),
  range('192.88.99.0/24', 'reserved'), // old 6to4 relay anycast
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'reserved'), // benchmarking
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('255.255.255.255/32', 'broadcast'),
  range('240.0.0.0/4', 'reserved'),
];

const V6: readonly Range[] = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('64:ff9b:1::/48', 'private'), // local-use NAT64
  range('100::/64', 'reserved'), // discard-only
  range('2001:db8::/32', 'documentation'),
  range('2001:2::/48', 'reserved'), // benchmarking
  range('2001:10::/28', 'reserved'), // ORCHID
  range('3fff::/20', 'documentation'),
  range('fc00::/7', 'private'), // unique local
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'private'), // deprecated site-local
  range('ff00::/8', 'multicast'),
];

const GLOBAL_UNICAST_V6 = parseCidr('2000::/3');

const EMBEDDINGS: ReadonlyArray<{ cidr: Cidr; via: Embedding; extract: (a: IpBytes) => IpBytes }> = [
  { cidr: parseCidr('::ffff:0:0/96'), via: 'ipv4-mapped', extract: (a) => a.slice(12, 16) },
  { cidr: parseCidr('::/96'), via: 'ipv4-compatible', extract: (a) => a.slice(12, 16) },
  { cidr: parseCidr('64:ff9b::/96'), via: 'nat64', extract: (a) => a.slice(12, 16) },
  { cidr: parseCidr('2002::/16'), via: '6to4', extract: (a) => a.slice(2, 6) },
  // Teredo stores the client's IPv4 address with every bit flipped.
  { cidr: parseCidr('2001::/32'), via: 'teredo', extract: (a) => a.slice(12, 16).map((b) => ~b & 0xff) },
];

/**
 * The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4, Teredo),
 * or null. `::` and `::1` are IPv6's own unspecified and loopback, not embeddings.
 */
export function embeddedV4(addr: IpBytes): { v4: IpBytes; via: Embedding } | null {
  if (addr.length !== 16) return null;
  if (V6[0] && inCidr(addr, V6[0].cidr)) return null;
  if (V6[1] && inCidr(addr, V6[1].cidr)) return null;
  for (const e of EMBEDDINGS) if (inCidr(addr, e.cidr)) return { v4: e.extract(addr), via: e.via };
  return null;
}

/** Null for a public unicast address; otherwise what kind of non-public address it is. */
export function classifyAddress(addr: IpBytes): NonPublic | null {
  if (addr.length === 4) {
    const hit = V4.find((r) => inCidr(addr, r.cidr));
    return hit ? { kind: hit.kind } : null;
  }
  const embedded = embeddedV4(addr);
  if (embedded) {
    const inner = classifyAddress(embedded.v4);
    if (inner) return { kind: inner.kind, via: embedded.via };
    // IPv4-compatible addresses are deprecated (RFC 4291): no public server uses one.
    return embedded.via === 'ipv4-compatible' ? { kind: 'reserved', via: embedded.via } : null;
  }
  const hit = V6.find((r) => inCidr(addr, r.cidr));
  if (hit) return { kind: hit.kind };
  // Everything outside 2000::/3 is unassigned or special-purpose: nothing to fetch from there.
  return inCidr(addr, GLOBAL_UNICAST_V6) ? null : { kind: 'reserved' };
}

/**
 * True when an allow-list entry covers the address, or the IPv4 address it embeds
 * (so `127.0.0.0/8` also admits `::ffff:127.0.0.1`).
 */
export function isAllowed(addr: IpBytes, allow: readonly Cidr[]): boolean {
  if (allow.some((c) => inCidr(addr, c))) return true;
  const embedded = embeddedV4(addr);
  return embedded !== null && allow.some((c) => inCidr(embedded.v4, c));
}
