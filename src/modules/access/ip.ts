/**
 * CIDR matching for allow-lists (IAM-13) and service-token source checks, with node:net's BlockList.
 * IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are matched as the IPv4 address they carry.
 */
import { BlockList, isIP } from 'node:net';

/** Where confidential data may be reached from until an admin sets a global allow-list (api.md). */
export const defaultAllowedCidrs = [
  '127.0.0.0/8',
  '::1/128',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  'fc00::/7',
];

export function normaliseIp(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m?.[1] ?? ip;
}

export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [addr, bits, ...rest] = cidr.trim().split('/');
  if (!addr || rest.length) return undefined;
  const v = isIP(addr);
  if (!v) return undefined;
  const max = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d+$/.test(bits))) {
    return undefined;
  }
  return { address: addr, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

export function ipInCidrs(ip: string, cidrs: readonly string[]): boolean {
  const addr = normaliseIp(ip);
  const family = isIP(addr);
  if (!family) return false;
  const list = new BlockList();
  for (const c of cidrs) {
    const p = parseCidr(c);
    if (p) list.addSubnet(p.address, p.prefix, p.family);
  }
  return list.check(addr, family === 4 ? 'ipv4' : 'ipv6');
}
