/**
 * IP addresses as numbers, CIDR parsing and the special-purpose (bogon) registry, pure. IPv4 and IPv6 are both
 * kept as bigint so one code path serves the range lookups; IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as IPv4.
 */
import { isIP } from 'node:net';

export interface ParsedIp {
  version: 4 | 6;
  value: bigint;
}

export function parseIp(raw: string): ParsedIp | undefined {
  let ip = raw.trim();
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const family = isIP(ip);
  if (family === 4) return { version: 4, value: v4ToBigint(ip) };
  if (family !== 6) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return { version: 4, value: v4ToBigint(mapped[1]) };
  return { version: 6, value: v6ToBigint(ip) };
}

function v4ToBigint(ip: string): bigint {
  let n = 0n;
  for (const part of ip.split('.')) n = (n << 8n) | BigInt(Number(part));
  return n;
}

function v6ToBigint(ip: string): bigint {
  let text = ip;
  // an embedded IPv4 tail (e.g. 64:ff9b::1.2.3.4) becomes two hextets
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const v = v4ToBigint(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(Number.parseInt(g || '0', 16));
  return n;
}

export interface Cidr {
  version: 4 | 6;
  first: bigint;
  last: bigint;
  text: string;
}

/** `a.b.c.d/nn`, an IPv6 prefix, or a bare address (a /32 or /128). Undefined when not a valid CIDR. */
export function parseCidr(raw: string): Cidr | undefined {
  const [addr = '', bitsText, ...extra] = raw.trim().split('/');
  if (extra.length) return undefined;
  const ip = parseIp(addr);
  if (!ip || addr.includes('%')) return undefined;
  const width = ip.version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const hostBits = BigInt(width - bits);
  const first = (ip.value >> hostBits) << hostBits;
  const last = first | ((1n << hostBits) - 1n);
  return { version: ip.version, first, last, text: `${formatIp(ip.version, first)}/${bits}` };
}

export function formatIp(version: 4 | 6, v: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => Number((v >> s) & 255n)).join('.');
  const parts: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) parts.push(((v >> s) & 0xffffn).toString(16));
  return parts.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

const ranges = (list: string[]) => list.map((c) => parseCidr(c) as Cidr);

/** Loopback and private ranges: normal for a self-hosted server reached over a LAN or VPN (api.md defaults). */
const privateRanges = ranges([
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
  '169.254.0.0/16',
]);

/**
 * RFC 6890 / IANA special-purpose space that no real client on the internet comes from: "this network", shared
 * CGN space, IETF protocol assignments, documentation (TEST-NET-1/2/3, 2001:db8::/32), benchmarking, reserved
 * class E, multicast, limited broadcast, discard-only, ORCHIDv2. Reaching us from one of these means a spoofed
 * header, a misconfigured proxy or a lab tool.
 */
const bogonRanges = ranges([
  '0.0.0.0/8',
  '100.64.0.0/10',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '100::/64',
  '2001:db8::/32',
  '2001:10::/28',
  '2001:20::/28',
  'ff00::/8',
]);

const within = (ip: ParsedIp, list: Cidr[]) =>
  list.some((c) => c.version === ip.version && ip.value >= c.first && ip.value <= c.last);

export type IpScope = 'private' | 'bogon' | 'public' | 'invalid';

export function scopeOf(raw: string): IpScope {
  const ip = parseIp(raw);
  if (!ip) return 'invalid';
  if (within(ip, privateRanges)) return 'private';
  if (within(ip, bogonRanges)) return 'bogon';
  return 'public';
}
