/**
 * Parsing of imported address lists, pure. Accepts one address or CIDR per line with `#` or `;` comments (FireHOL
 * netsets, Spamhaus DROP, the Tor bulk exit list) and the Tor Project's `exit-addresses` format (`ExitAddress
 * a.b.c.d …`). Entries are normalised and de-duplicated; private, loopback and over-broad ranges are refused,
 * since a list entry that matched our own users' networks would flag every one of them.
 */
import { createHash } from 'node:crypto';
import { parseCidr, scopeOf } from './intel/ip.ts';

export const listKinds = ['tor', 'threat'] as const;
export type ListKind = (typeof listKinds)[number];
export const MAX_LIST_ENTRIES = 500_000;

export interface ParsedList {
  cidrs: string[];
  lines: number;
  rejected: { line: number; reason: 'invalid' | 'private' | 'too_broad' }[];
  rejectedCount: number;
  sha256: string;
}

export function parseList(text: string): ParsedList {
  const seen = new Set<string>();
  const rejected: ParsedList['rejected'] = [];
  let rejectedCount = 0;
  const lines = text.split(/\r?\n/);
  const reject = (line: number, reason: ParsedList['rejected'][number]['reason']) => {
    rejectedCount++;
    if (rejected.length < 20) rejected.push({ line, reason });
  };
  lines.forEach((raw, i) => {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) return;
    const tokens = line.split(/\s+/);
    if (/^(ExitNode|Published|LastStatus)$/.test(tokens[0] ?? '')) return;
    const token = tokens[0] === 'ExitAddress' ? tokens[1] : tokens[0];
    const c = token ? parseCidr(token) : undefined;
    const bits = c ? Number(c.text.split('/')[1]) : 0;
    if (!c) reject(i + 1, 'invalid');
    else if ((c.version === 4 && bits < 8) || (c.version === 6 && bits < 16)) reject(i + 1, 'too_broad');
    else if (scopeOf(c.text.split('/')[0] as string) === 'private') reject(i + 1, 'private');
    else seen.add(c.text);
  });
  return {
    cidrs: [...seen],
    lines: lines.length,
    rejected,
    rejectedCount,
    sha256: createHash('sha256').update(text).digest('hex'),
  };
}
