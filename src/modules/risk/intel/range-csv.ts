/**
 * Binary search over a sorted `start,end,value…` CSV file of numeric IP ranges (the `*-num.csv` files of
 * @ip-location-db), by byte offset with positioned reads: nothing is parsed or loaded up front (cold start
 * unaffected), a lookup reads ~20 small slices, and memory stays constant. The file is opened on first use.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const SLICE = 512;

export interface RangeRow {
  start: bigint;
  end: bigint;
  fields: string[];
}

export interface RangeCsv {
  lookup(value: bigint): RangeRow | undefined;
  close(): void;
}

/** Splits one CSV line: plain fields, or double-quoted ones with "" escapes. */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else v += line[i++];
      }
      out.push(v);
      i++; // the comma
    } else {
      const next = line.indexOf(',', i);
      const end = next < 0 ? line.length : next;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

export function openRangeCsv(file: string): RangeCsv {
  const fd = openSync(file, 'r');
  const size = fstatSync(fd).size;
  const buf = Buffer.alloc(SLICE);

  /** The first whole line that starts at or after `pos` (pos 0: the first line), with its start offset. */
  function lineFrom(pos: number): { row: RangeRow; next: number } | undefined {
    let at = pos;
    if (pos > 0) {
      // skip to just after the next newline at or after pos-1
      for (;;) {
        const n = readSync(fd, buf, 0, SLICE, at - 1);
        if (n <= 0) return undefined;
        const nl = buf.subarray(0, n).indexOf(10);
        if (nl >= 0) {
          at = at - 1 + nl + 1;
          break;
        }
        at += n;
      }
    }
    if (at >= size) return undefined;
    let text = '';
    for (let p = at; ; ) {
      const n = readSync(fd, buf, 0, SLICE, p);
      if (n <= 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      text += buf.toString('utf8', 0, nl >= 0 ? nl : n);
      if (nl >= 0) break;
      p += n;
    }
    const fields = splitCsv(text.replace(/\r$/, ''));
    if (fields.length < 2) return undefined;
    try {
      return {
        row: { start: BigInt(fields[0] as string), end: BigInt(fields[1] as string), fields: fields.slice(2) },
        next: at + Buffer.byteLength(text) + 1,
      };
    } catch {
      return undefined;
    }
  }

  return {
    lookup(value) {
      const first = lineFrom(0);
      if (!first || first.row.start > value) return undefined;
      // invariant: the line found from `lo` starts at or below `value`; the one from `hi` above it (or none)
      let lo = 0;
      let hi = size;
      while (hi - lo > SLICE) {
        const mid = Math.floor((lo + hi) / 2);
        const l = lineFrom(mid);
        if (!l || l.row.start > value) hi = mid;
        else lo = mid;
      }
      let best: RangeRow | undefined;
      let cur = lineFrom(lo);
      while (cur && cur.row.start <= value) {
        best = cur.row;
        cur = cur.next < size ? lineFrom(cur.next) : undefined;
      }
      return best && best.end >= value ? best : undefined;
    },
    close: () => closeSync(fd),
  };
}
