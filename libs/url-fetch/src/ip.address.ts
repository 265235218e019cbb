import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as raw bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = Uint8Array;

/** A parsed CIDR block, e.g. `10.0.0.0/8` or `::1/128`. */
export interface Cidr {
  readonly bytes: IpBytes;
  readonly prefix: number;
  readonly text: string;
}

/** Parses an IPv4 or IPv6 literal (brackets and a zone id are accepted); null when it is not one. */
export function parseIp(text: string): IpBytes | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // A zone id (`fe80::1%eth0`) only picks an interface; the address is what is judged.
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIPv4(s)) return parseV4(s);
  if (isIPv6(s)) return parseV6(s);
  return null;
}

function parseV4(s: string): IpBytes {
  return Uint8Array.from(s.split('.').map((part) => Number(part)));
}

function parseV6(s: string): IpBytes {
  const out = new Uint8Array(16);
  let text = s;
  // A dotted IPv4 tail (`::ffff:127.0.0.1`) stands for the last two groups.
  let tail: IpBytes | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = parseV4(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = text.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(rest === undefined ? 0 : zeros).fill('0'), ...restGroups];
  groups.forEach((g, i) => {
    const v = Number.parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  if (tail) out.set(tail, 12);
  return out;
}

/** Text form: dotted quad for IPv4, compressed-less colon groups for IPv6 (for messages and logs). */
export function formatIp(bytes: IpBytes): string {
  if (bytes.length === 4) return bytes.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

/**
 * Parses `addr/prefix`; a bare address means a single host (/32 or /128).
 * @throws Error naming the bad entry.
 */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addrText = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const bytes = parseIp(addrText);
  if (!bytes) throw new Error(`invalid CIDR ${JSON.stringify(text)}: not an IP address`);
  const max = bytes.length * 8;
  const prefixText = slash >= 0 ? trimmed.slice(slash + 1) : String(max);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) throw new Error(`invalid CIDR ${JSON.stringify(text)}: prefix must be 0..${max}`);
  return { bytes, prefix, text: trimmed };
}

/** True when `addr` lies in `cidr`; addresses of the other family never match. */
export function inCidr(addr: IpBytes, cidr: Pick<Cidr, 'bytes' | 'prefix'>): boolean {
  if (addr.length !== cidr.bytes.length) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((addr[i] ?? 0) & mask) !== ((cidr.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}
