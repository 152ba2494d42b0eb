/**
 * LOG-02 offline verification: signed checkpoints, export bundles and inclusion proofs, and the tampering each
 * must catch — naming the first bad entry.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { exportBundle, proveInclusion, verifyBundle, verifyProof } from './index.ts';

let t: TestApp;
let dir: string;
let bundle: string;
/** Entries the app wrote at start (pseudonym keys of this epoch and the next). */
let base: number;

const append = (n: number) =>
  t.core.db.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      await t.core.audit.append(tx, {
        action: 'auth.logout',
        outcome: 'success',
        actor: { type: 'system' },
        details: {},
      });
    }
  });

beforeAll(async () => {
  t = await createTestApp();
  await t.core.audit.integrate();
  base = Number((await t.core.db.query<{ seq: string }>('SELECT seq FROM audit.head')).rows[0]?.seq);
  dir = await mkdtemp(path.join(os.tmpdir(), 'strongroom-bundle-'));
  await append(20);
  await t.core.checkpoints.cut();
  await append(13);
  await t.core.checkpoints.cut();
  await append(4); // an unsigned tail, as between two checkpoints
  bundle = path.join(dir, 'audit.ndjson');
  await exportBundle(t.core.db, bundle, t.core.checkpoints.publicKey(), t.clock.now(), {
    sign: t.core.checkpoints.signBundle,
  });
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function tampered(name: string, edit: (lines: string[]) => string[]) {
  const lines = (await readFile(bundle, 'utf8')).trimEnd().split('\n');
  const file = path.join(dir, name);
  await writeFile(file, `${edit(lines).join('\n')}\n`);
  return verifyBundle(file);
}
const entryLine = (lines: string[], seq: number) => lines.findIndex((l) => l.includes(`"seq":"${seq}"`));

describe('signed checkpoints and bundles (LOG-02)', () => {
  it('checkpoints are cut only when there are new entries, signed, and written as files', async () => {
    const latest = await t.core.checkpoints.latest();
    expect(Number(latest?.tree_size)).toBe(base + 33);
    expect(await t.core.checkpoints.cut()).toBeDefined(); // the 4-entry tail (and the export's own reads)
    expect(await t.core.checkpoints.cut()).toBeUndefined();
    expect(await t.core.audit.verify(t.core.db)).toMatchObject({ valid: true });
  });

  it('an intact bundle verifies offline', async () => {
    expect(await verifyBundle(bundle)).toMatchObject({ valid: true, entries: base + 37, checkpoints: 2 });
  });

  it('an edited field is caught, naming the entry', async () => {
    const r = await tampered('edited.ndjson', (l) => {
      const i = entryLine(l, base + 7);
      l[i] = (l[i] as string).replace('"outcome":"success"', '"outcome":"failure"');
      return l;
    });
    expect(r).toMatchObject({ valid: false, firstBadSeq: base + 7, reason: 'hash_mismatch' });
  });

  it('a deleted middle entry is caught as a gap at its seq', async () => {
    const r = await tampered('deleted.ndjson', (l) => l.filter((_, i) => i !== entryLine(l, base + 12)));
    expect(r).toMatchObject({ valid: false, firstBadSeq: base + 12, reason: 'gap' });
  });

  it('reordered entries are caught', async () => {
    const r = await tampered('reordered.ndjson', (l) => {
      const a = entryLine(l, base + 5);
      const b = entryLine(l, base + 6);
      [l[a], l[b]] = [l[b] as string, l[a] as string];
      return l;
    });
    expect(r).toMatchObject({ valid: false, firstBadSeq: base + 5 });
  });

  it('a truncated tail is caught against the last signed checkpoint', async () => {
    // entries 26… cut off, the signed checkpoint at 33 left in place
    const r = await tampered('truncated.ndjson', (l) =>
      l.filter((x) => !(x.includes('"type":"entry"') && Number(JSON.parse(x).seq) >= base + 26)),
    );
    expect(r).toMatchObject({ valid: false, firstBadSeq: base + 26, reason: 'truncated' });
  });

  it('a forged checkpoint signature is caught', async () => {
    const r = await tampered('forged.ndjson', (l) =>
      l.map((x) => (x.includes('"type":"checkpoint"') ? x.replace(/"rootHash":"[0-9a-f]{4}/, '"rootHash":"0000') : x)),
    );
    expect(r).toMatchObject({ valid: false, reason: 'checkpoint_signature_invalid' });
  });

  it('a byte flipped in an entry is caught naming that entry; a byte flipped anywhere fails the bundle', async () => {
    const bytes = await readFile(bundle);
    const text = bytes.toString('utf8');
    // inside entry base+15's details
    const at = text.indexOf('"details":', text.indexOf(`"seq":"${base + 15}"`)) + '"details":'.length + 2;
    const one = Buffer.from(bytes);
    one[at] = (one[at] as number) ^ 0x01;
    const file = path.join(dir, 'flipped.ndjson');
    await writeFile(file, one);
    expect(await verifyBundle(file)).toMatchObject({ valid: false, firstBadSeq: base + 15 });
    // and every one of 120 positions spread over the whole file, the header and end line included
    for (let i = 0; i < 120; i++) {
      const pos = Math.floor((i * (bytes.length - 1)) / 119);
      const b = Buffer.from(bytes);
      b[pos] = (b[pos] as number) ^ 0x01;
      await writeFile(file, b);
      const r = await verifyBundle(file);
      expect(r.valid, `byte ${pos} (${JSON.stringify(text[pos])}) flipped`).toBe(false);
    }
  });

  it('a header field changed (not part of the log) fails the bundle signature', async () => {
    const r = await tampered('header.ndjson', (l) => {
      l[0] = (l[0] as string).replace(/"exportedAt":"\d{4}/, '"exportedAt":"1999');
      return l;
    });
    expect(r).toMatchObject({ valid: false, reason: 'bundle_signature_invalid' });
  });

  it('an inclusion proof verifies offline, and fails for another entry or a forged root', async () => {
    const proof = await proveInclusion(t.core.db, base + 9, t.core.checkpoints.publicKey());
    expect(verifyProof(proof)).toEqual({ valid: true });
    expect(verifyProof({ ...proof, seq: base + 10 }).valid).toBe(false);
    const forged = structuredClone(proof);
    forged.checkpoint.body.rootHash = '00'.repeat(32);
    expect(verifyProof(forged)).toMatchObject({ valid: false, reason: 'checkpoint_signature_invalid' });
  });

  it('the database log is checked against its checkpoints too: a cut tail is caught even with the head rewound', async () => {
    await t.testDb.superuser('ALTER TABLE audit.entries DISABLE TRIGGER entries_refuse_update_delete');
    await t.testDb.superuser('ALTER TABLE audit.head DISABLE TRIGGER head_forward_only');
    const { rows } = await t.core.db.query<{ hash: Buffer }>('SELECT hash FROM audit.entries WHERE seq = $1', [
      base + 30,
    ]);
    await t.testDb.superuser('DELETE FROM audit.entries WHERE seq > $1', [base + 30]);
    await t.testDb.superuser('UPDATE audit.head SET seq = $1, hash = $2', [base + 30, rows[0]?.hash]);
    expect(await t.core.audit.verify(t.core.db)).toMatchObject({
      valid: false,
      firstBadSeq: String(base + 31),
      reason: 'truncated',
    });
  });
});
