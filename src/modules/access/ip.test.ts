import { describe, expect, it } from 'vitest';
import { defaultAllowedCidrs, ipInCidrs, parseCidr } from './ip.ts';

describe('CIDR matching (IAM-13)', () => {
  it('matches IPv4, IPv6 and IPv4-mapped addresses', () => {
    expect(ipInCidrs('10.1.2.3', ['10.0.0.0/8'])).toBe(true);
    expect(ipInCidrs('11.1.2.3', ['10.0.0.0/8'])).toBe(false);
    expect(ipInCidrs('::ffff:192.168.1.5', ['192.168.0.0/16'])).toBe(true);
    expect(ipInCidrs('2001:db8::1', ['2001:db8::/32'])).toBe(true);
    expect(ipInCidrs('2001:db9::1', ['2001:db8::/32'])).toBe(false);
    expect(ipInCidrs('203.0.113.7', ['203.0.113.7'])).toBe(true);
  });

  it('the default allow-list is loopback and private ranges only', () => {
    for (const ip of ['127.0.0.1', '::1', '10.9.9.9', '172.20.0.1', '192.168.0.1', 'fd00::1']) {
      expect(ipInCidrs(ip, defaultAllowedCidrs)).toBe(true);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '2001:db8::1', 'not-an-ip']) {
      expect(ipInCidrs(ip, defaultAllowedCidrs)).toBe(false);
    }
  });

  it('refuses malformed CIDRs', () => {
    for (const c of ['10.0.0.0/33', '10.0.0.0/', 'x/8', '::1/129', '10.0.0.0/8/1', '10.0.0.0/08a']) {
      expect(parseCidr(c)).toBeUndefined();
    }
  });
});
