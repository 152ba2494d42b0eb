/**
 * NET-02 across pseudonym-key epochs (DAT-05): addresses are stored as keyed hashes whose key changes every 30
 * days, but a block (up to 7 days) and the escalation count must not forget an address at the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { createBlocklist } from './blocklist.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('blocks span a pseudonym-key epoch change', () => {
  it('NET-02: an address blocked under last epoch’s pseudonym stays blocked, and its next block escalates', async () => {
    let epoch = 1;
    const hashOf = (ip: string, e: number) => `e${e}:${ip}`;
    const list = createBlocklist({
      db: t.core.db,
      clock: t.clock,
      pseudonymiseIp: (ip) => hashOf(ip, epoch),
      pseudonymsOfIp: (ip) => [hashOf(ip, epoch), hashOf(ip, epoch - 1)],
    });
    const first = await t.core.db.transaction((tx) => list.blockIp(tx, '198.51.100.77', 'test'));
    expect(first).toEqual({ minutes: 60, level: 1 });
    epoch = 2; // the key changed: the same address now hashes differently
    expect(await list.isBlocked('198.51.100.77')).toBe(true);
    await list.reload();
    expect(await list.isBlocked('198.51.100.77')).toBe(true);
    expect(await list.isBlocked('198.51.100.78')).toBe(false);
    const second = await t.core.db.transaction((tx) => list.blockIp(tx, '198.51.100.77', 'test'));
    expect(second).toEqual({ minutes: 240, level: 2 });
    // without the previous epoch's pseudonym the block would have been forgotten at the change
    const forgetful = createBlocklist({ db: t.core.db, clock: t.clock, pseudonymiseIp: (ip) => hashOf(ip, 3) });
    expect(await forgetful.isBlocked('198.51.100.77')).toBe(false);
  });
});
