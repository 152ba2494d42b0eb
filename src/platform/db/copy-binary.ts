/**
 * Rows in PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format"),
 * for bulk loads: the server stores each value as sent, without parsing text or evaluating expressions per row
 * (measured on the vault's records: about a third less server CPU per row than INSERT … SELECT FROM unnest).
 *
 * A writer appends whole rows to one growing buffer; `rows()` gives the bytes of the rows alone, so rows encoded
 * elsewhere (a worker thread) can be filtered and joined, and `copyPayload(parts)` frames them with the header and
 * trailer. Column order and types must match the COPY column list exactly: binary input is not converted.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]); // flags (no OIDs) and header-extension length: 0
const TRAILER = Buffer.from([0xff, 0xff]); // field count -1
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const UUID_HEX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Element type OIDs of the arrays the writer can send. */
export const OID = { bytea: 17, text: 25, uuid: 2950 } as const;

export class BinaryCopyWriter {
  #buf: Buffer;
  #at = 0;

  constructor(initialBytes = 64 * 1024) {
    this.#buf = Buffer.allocUnsafe(initialBytes);
  }

  #room(n: number) {
    if (this.#at + n <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#at + n));
    this.#buf.copy(next, 0, 0, this.#at);
    this.#buf = next;
  }

  #i16(n: number) {
    this.#room(2);
    this.#at = this.#buf.writeInt16BE(n, this.#at);
  }

  #i32(n: number) {
    this.#room(4);
    this.#at = this.#buf.writeInt32BE(n, this.#at);
  }

  #bytes(b: Uint8Array) {
    this.#room(b.length);
    this.#buf.set(b, this.#at);
    this.#at += b.length;
  }

  /** Starts a row of `columns` fields; exactly that many field calls must follow. */
  row(columns: number): this {
    this.#i16(columns);
    return this;
  }

  null(): this {
    this.#i32(-1);
    return this;
  }

  bytea(b: Uint8Array | null): this {
    if (b === null) return this.null();
    this.#i32(b.length);
    this.#bytes(b);
    return this;
  }

  uuid(id: string | null): this {
    if (id === null) return this.null();
    if (!UUID_HEX.test(id)) throw new Error('not a UUID');
    this.#i32(16);
    this.#room(16);
    this.#at += this.#buf.write(id.replaceAll('-', ''), this.#at, 'hex');
    return this;
  }

  int4(n: number): this {
    this.#i32(4);
    this.#i32(n);
    return this;
  }

  /** timestamptz: microseconds since 2000-01-01 UTC (integer datetimes, the default since PostgreSQL 10). */
  timestamptz(d: Date): this {
    this.#i32(8);
    this.#room(8);
    this.#at = this.#buf.writeBigInt64BE(BigInt(d.getTime() - PG_EPOCH_MS) * 1000n, this.#at);
    return this;
  }

  /** A one-dimensional array without NULL elements (an empty array has no dimensions). */
  array(elementOid: number, elements: readonly Uint8Array[]): this {
    const size = elements.length ? 20 + elements.reduce((a, e) => a + 4 + e.length, 0) : 12;
    this.#i32(size);
    this.#i32(elements.length ? 1 : 0); // dimensions
    this.#i32(0); // has NULLs: no
    this.#i32(elementOid);
    if (!elements.length) return this;
    this.#i32(elements.length);
    this.#i32(1); // lower bound
    for (const e of elements) {
      this.#i32(e.length);
      this.#bytes(e);
    }
    return this;
  }

  textArray(values: readonly string[]): this {
    return this.array(
      OID.text,
      values.map((v) => Buffer.from(v, 'utf8')),
    );
  }

  /** The rows written so far, copied into a buffer of their own (safe to transfer to another thread). */
  rows(): Uint8Array {
    const out = new Uint8Array(this.#at);
    out.set(this.#buf.subarray(0, this.#at));
    return out;
  }

  get byteLength(): number {
    return this.#at;
  }
}

/** The COPY payload: header, the given row bytes in order, trailer. */
export function copyPayload(rows: readonly Uint8Array[]): Buffer {
  return Buffer.concat([HEADER, ...rows, TRAILER]);
}
