import { describe, expect, it } from 'vitest';
import { formatIp, inCidr, parseCidr, parseIp } from './ip.address.ts';
import { classifyAddress, embeddedV4, isAllowed } from './ip.ranges.ts';

function classify(text: string) {
  const bytes = parseIp(text);
  if (!bytes) throw new Error(`test address ${text} does not parse`);
  return classifyAddress(bytes);
}

describe('parseIp', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '0:0:0:0:0:0:0:1'],
    ['[::1]', '0:0:0:0:0:0:0:1'],
    ['::', '0:0:0:0:0:0:0:0'],
    ['::ffff:127.0.0.1', '0:0:0:0:0:ffff:7f00:1'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
    ['2001:db8:0:0:1::', '2001:db8:0:0:1:0:0:0'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['64:ff9b::10.0.0.5', '64:ff9b:0:0:0:0:a00:5'],
  ])('%s', (input, expected) => {
    const bytes = parseIp(input);
    expect(bytes && formatIp(bytes)).toBe(expected);
  });

  it.each(['example.com', '1.2.3', '256.0.0.1', '1::2::3', '', '0x7f.0.0.1'])('rejects %j', (input) => {
    expect(parseIp(input)).toBeNull();
  });
});

describe('parseCidr / inCidr', () => {
  it('matches prefixes that do not fall on a byte boundary', () => {
    const cgnat = parseCidr('100.64.0.0/10');
    expect(inCidr(parseIp('100.127.255.255')!, cgnat)).toBe(true);
    expect(inCidr(parseIp('100.128.0.0')!, cgnat)).toBe(false);
    const ula = parseCidr('fc00::/7');
    expect(inCidr(parseIp('fdff::1')!, ula)).toBe(true);
    expect(inCidr(parseIp('fe00::1')!, ula)).toBe(false);
  });

  it('treats a bare address as one host and never matches across families', () => {
    const one = parseCidr('10.0.0.5');
    expect(one.prefix).toBe(32);
    expect(inCidr(parseIp('10.0.0.5')!, one)).toBe(true);
    expect(inCidr(parseIp('10.0.0.6')!, one)).toBe(false);
    expect(inCidr(parseIp('::ffff:10.0.0.5')!, one)).toBe(false);
    expect(inCidr(parseIp('1.2.3.4')!, parseCidr('0.0.0.0/0'))).toBe(true);
  });

  it.each(['10.0.0.0/33', '::/129', 'nonsense/8', '10.0.0.0/x', '10.0.0.0/-1'])('refuses %j', (text) => {
    expect(() => parseCidr(text)).toThrow(/invalid CIDR/);
  });
});

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'shared'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%lo', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['64:ff9b:1::1', 'private'],
    ['5f00::1', 'reserved'],
  ])('%s is %s', (addr, kind) => {
    expect(classify(addr)?.kind).toBe(kind);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback', 'ipv4-mapped'],
    ['::ffff:7f00:1', 'loopback', 'ipv4-mapped'],
    ['::ffff:169.254.169.254', 'link-local', 'ipv4-mapped'],
    ['::ffff:10.0.0.5', 'private', 'ipv4-mapped'],
    ['::127.0.0.1', 'loopback', 'ipv4-compatible'],
    ['::8.8.8.8', 'reserved', 'ipv4-compatible'],
    ['64:ff9b::10.0.0.5', 'private', 'nat64'],
    ['64:ff9b::a9fe:a9fe', 'link-local', 'nat64'],
    ['2002:7f00:1::1', 'loopback', '6to4'],
    ['2002:c0a8:101::', 'private', '6to4'],
    // Teredo client 10.0.0.5 stored bit-flipped: f5ff:fffa.
    ['2001:0:4136:e378:8000:63bf:f5ff:fffa', 'private', 'teredo'],
  ])('%s is %s via %s', (addr, kind, via) => {
    expect(classify(addr)).toEqual({ kind, via });
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82a::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (addr) => {
    expect(classify(addr)).toBeNull();
  });
});

describe('isAllowed', () => {
  const allow = ['127.0.0.0/8', '::1/128', '10.20.0.0/16'].map(parseCidr);
  it('admits listed ranges and the IPv6 forms of listed IPv4 addresses', () => {
    expect(isAllowed(parseIp('127.0.0.1')!, allow)).toBe(true);
    expect(isAllowed(parseIp('::1')!, allow)).toBe(true);
    expect(isAllowed(parseIp('::ffff:127.0.0.1')!, allow)).toBe(true);
    expect(isAllowed(parseIp('10.20.3.4')!, allow)).toBe(true);
  });
  it('admits nothing else', () => {
    expect(isAllowed(parseIp('10.21.0.1')!, allow)).toBe(false);
    expect(isAllowed(parseIp('169.254.169.254')!, allow)).toBe(false);
    expect(isAllowed(parseIp('fe80::1')!, allow)).toBe(false);
  });
  it('does not treat :: and ::1 as embedded IPv4', () => {
    expect(embeddedV4(parseIp('::1')!)).toBeNull();
    expect(embeddedV4(parseIp('::')!)).toBeNull();
  });
});
