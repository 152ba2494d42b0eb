/** Offline IP intelligence against the packaged data: geolocation, networks, special-purpose ranges, CIDRs. */
import { describe, expect, it } from 'vitest';
import { parseList } from '../lists.ts';
import { formatIp, parseCidr, parseIp, scopeOf } from './ip.ts';
import { createIpIntel, distanceKm } from './ip-intel.ts';

describe('IP intelligence from packaged offline data', () => {
  const intel = createIpIntel();

  it('places public addresses (DB-IP city) and names their network (ASN), IPv4 and IPv6', () => {
    expect(intel.available).toBe(true);
    const google = intel.lookup('8.8.8.8');
    expect(google).toMatchObject({ scope: 'public', country: 'US', asn: 15169, network: 'hosting' });
    expect(google.lat).toBeTypeOf('number');
    const hetzner = intel.lookup('2a01:4f8::1');
    expect(hetzner).toMatchObject({ scope: 'public', asn: 24940, network: 'hosting' });
    // a home broadband network is not "hosting"
    expect(intel.lookup('81.2.69.160')).toMatchObject({ country: 'GB', network: null });
  });

  it('answers loopback, private and reserved addresses without a lookup', () => {
    expect(intel.lookup('127.0.0.1')).toMatchObject({ scope: 'private', country: null, asn: null });
    expect(scopeOf('10.1.2.3')).toBe('private');
    expect(scopeOf('::ffff:192.168.1.4')).toBe('private');
    expect(scopeOf('203.0.113.9')).toBe('bogon');
    expect(scopeOf('2001:db8::1')).toBe('bogon');
    expect(scopeOf('240.1.1.1')).toBe('bogon');
    expect(scopeOf('not an ip')).toBe('invalid');
    expect(scopeOf('1.1.1.1')).toBe('public');
  });

  it('parses addresses and CIDRs to ranges', () => {
    expect(parseCidr('192.0.2.77/24')?.text).toBe('192.0.2.0/24');
    expect(parseCidr('2001:db8::1/32')?.text).toBe('2001:db8::/32');
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(formatIp(4, parseIp('1.2.3.4')?.value ?? 0n)).toBe('1.2.3.4');
    expect(Math.round(distanceKm({ lat: 52.52, lon: 13.4 }, { lat: 48.86, lon: 2.35 }))).toBeGreaterThan(870);
  });

  it('reads Tor exit-addresses and plain CIDR lists, refusing private and over-broad entries', () => {
    const tor = parseList(
      [
        'ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E',
        'Published 2026-11-20 10:11:22',
        'ExitAddress 185.220.101.1 2026-11-20 10:50:12',
        '# a comment',
        '198.51.100.0/24 ; SBL123',
        '10.0.0.0/8',
        '0.0.0.0/0',
        'nonsense',
        '185.220.101.1',
      ].join('\n'),
    );
    expect(tor.cidrs.sort()).toEqual(['185.220.101.1/32', '198.51.100.0/24']);
    expect(tor.rejected.map((r) => r.reason)).toEqual(['private', 'too_broad', 'invalid']);
    expect(tor.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
