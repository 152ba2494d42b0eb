/**
 * A small MaxMind DB (MMDB v2) reader that reads the file with positioned reads through a bounded page cache
 * instead of loading it: opening costs one read of the metadata, a lookup ~30 tree nodes plus one record, and
 * memory stays under ~2 MB whatever the file size (the DB-IP city files are 63 and 71 MB). Format:
 * https://maxmind.github.io/MaxMind-DB/ (search tree, 16-byte separator, data section, metadata marker).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ParsedIp } from './ip.ts';

const PAGE = 4096;
const MAX_PAGES = 512;
const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');

class PagedFile {
  private readonly fd: number;
  readonly size: number;
  private readonly pages = new Map<number, Buffer>();

  constructor(file: string) {
    this.fd = openSync(file, 'r');
    this.size = fstatSync(this.fd).size;
  }

  private page(n: number): Buffer {
    let p = this.pages.get(n);
    if (p) {
      // refresh: Map iteration order is insertion order, so the first key is the least recently used
      this.pages.delete(n);
      this.pages.set(n, p);
      return p;
    }
    p = Buffer.alloc(PAGE);
    readSync(this.fd, p, 0, PAGE, n * PAGE);
    this.pages.set(n, p);
    if (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value as number);
    return p;
  }

  byte(pos: number): number {
    return (this.page(Math.floor(pos / PAGE)) as Buffer)[pos % PAGE] as number;
  }

  bytes(pos: number, len: number): Buffer {
    const out = Buffer.alloc(len);
    for (let i = 0; i < len; ) {
      const p = this.page(Math.floor((pos + i) / PAGE));
      const off = (pos + i) % PAGE;
      const n = Math.min(len - i, PAGE - off);
      p.copy(out, i, off, off + n);
      i += n;
    }
    return out;
  }

  readTail(len: number): Buffer {
    const n = Math.min(len, this.size);
    const b = Buffer.alloc(n);
    readSync(this.fd, b, 0, n, this.size - n);
    return b;
  }

  close() {
    closeSync(this.fd);
  }
}

type Value = string | number | bigint | boolean | Buffer | Value[] | { [k: string]: Value } | null;

/** Decodes the MMDB data format from a byte source; `base` is the data section's start (pointers are relative). */
function decoder(byte: (pos: number) => number, bytes: (pos: number, len: number) => Buffer, base: number) {
  const uint = (pos: number, len: number) => {
    let n = 0;
    for (let i = 0; i < len; i++) n = n * 256 + byte(pos + i);
    return n;
  };
  function decode(pos: number): [Value, number] {
    const ctrl = byte(pos++);
    let type = ctrl >> 5;
    if (type === 1) {
      const ss = (ctrl >> 3) & 3;
      const vvv = ctrl & 7;
      let p: number;
      if (ss === 0) p = vvv * 256 + uint(pos, 1);
      else if (ss === 1) p = vvv * 65536 + uint(pos, 2) + 2048;
      else if (ss === 2) p = vvv * 16777216 + uint(pos, 3) + 526336;
      else p = uint(pos, 4);
      const [v] = decode(base + p);
      return [v, pos + ss + 1];
    }
    if (type === 0) type = 7 + byte(pos++);
    let size = ctrl & 31;
    if (size === 29) size = 29 + byte(pos++);
    else if (size === 30) {
      size = 285 + uint(pos, 2);
      pos += 2;
    } else if (size === 31) {
      size = 65821 + uint(pos, 3);
      pos += 3;
    }
    switch (type) {
      case 2:
        return [bytes(pos, size).toString('utf8'), pos + size];
      case 3:
        return [bytes(pos, 8).readDoubleBE(0), pos + 8];
      case 4:
        return [bytes(pos, size), pos + size];
      case 5:
      case 6:
        return [uint(pos, size), pos + size];
      case 8:
        return [bytes(pos, 4).readInt32BE(0), pos + 4];
      case 9:
      case 10: {
        let n = 0n;
        for (let i = 0; i < size; i++) n = (n << 8n) | BigInt(byte(pos + i));
        return [n, pos + size];
      }
      case 7: {
        const out: Record<string, Value> = {};
        for (let i = 0; i < size; i++) {
          const [k, afterKey] = decode(pos);
          const [v, afterValue] = decode(afterKey);
          out[String(k)] = v;
          pos = afterValue;
        }
        return [out, pos];
      }
      case 11: {
        const out: Value[] = [];
        for (let i = 0; i < size; i++) {
          const [v, after] = decode(pos);
          out.push(v);
          pos = after;
        }
        return [out, pos];
      }
      case 14:
        return [size !== 0, pos];
      case 15:
        return [bytes(pos, 4).readFloatBE(0), pos + 4];
      default:
        return [null, pos + size];
    }
  }
  return decode;
}

export interface MmdbReader {
  readonly metadata: {
    nodeCount: number;
    recordSize: number;
    ipVersion: number;
    databaseType: string;
    buildEpoch: number;
  };
  lookup(ip: ParsedIp): Record<string, Value> | undefined;
  close(): void;
}

export function openMmdb(file: string): MmdbReader {
  const f = new PagedFile(file);
  const tail = f.readTail(128 * 1024);
  const at = tail.lastIndexOf(METADATA_MARKER);
  if (at < 0) {
    f.close();
    throw new Error(`${file} is not a MaxMind DB file`);
  }
  const metaStart = at + METADATA_MARKER.length;
  const [meta] = decoder(
    (p) => tail[p] as number,
    (p, n) => tail.subarray(p, p + n),
    metaStart,
  )(metaStart) as [Record<string, Value>, number];
  const nodeCount = Number(meta.node_count);
  const recordSize = Number(meta.record_size);
  const ipVersion = Number(meta.ip_version);
  const nodeBytes = (recordSize * 2) / 8;
  const treeSize = nodeCount * nodeBytes;
  const dataStart = treeSize + 16;
  const decode = decoder(
    (p) => f.byte(p),
    (p, n) => f.bytes(p, n),
    dataStart,
  );

  const readRecord = (node: number, bit: number): number => {
    const off = node * nodeBytes;
    if (recordSize === 24)
      return bit
        ? f.byte(off + 3) * 65536 + f.byte(off + 4) * 256 + f.byte(off + 5)
        : f.byte(off) * 65536 + f.byte(off + 1) * 256 + f.byte(off + 2);
    if (recordSize === 28) {
      const middle = f.byte(off + 3);
      return bit
        ? (middle & 0x0f) * 16777216 + f.byte(off + 4) * 65536 + f.byte(off + 5) * 256 + f.byte(off + 6)
        : (middle >> 4) * 16777216 + f.byte(off) * 65536 + f.byte(off + 1) * 256 + f.byte(off + 2);
    }
    const b = f.bytes(off + bit * 4, 4);
    return b.readUInt32BE(0);
  };

  // In an IPv6 tree, IPv4 addresses live under ::/96 (96 zero bits from the root).
  let ipv4Start = 0;
  if (ipVersion === 6) {
    let node = 0;
    for (let i = 0; i < 96 && node < nodeCount; i++) node = readRecord(node, 0);
    ipv4Start = node;
  }

  return {
    metadata: {
      nodeCount,
      recordSize,
      ipVersion,
      databaseType: String(meta.database_type),
      buildEpoch: Number(meta.build_epoch),
    },
    lookup(ip) {
      if (ip.version === 6 && ipVersion === 4) return undefined;
      const bits = ip.version === 4 ? 32 : 128;
      let node = ip.version === 4 && ipVersion === 6 ? ipv4Start : 0;
      for (let i = bits - 1; i >= 0 && node < nodeCount; i--) {
        node = readRecord(node, Number((ip.value >> BigInt(i)) & 1n));
      }
      if (node <= nodeCount) return undefined;
      const [v] = decode(node - nodeCount + treeSize);
      return v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)
        ? (v as Record<string, Value>)
        : undefined;
    },
    close: () => f.close(),
  };
}
