/**
 * Test-only fixtures for the MFA library: a user row written with plain SQL (the identity service is not
 * needed), and a library instance on the test database with the development SMS outbox and a manual clock.
 */
import { randomBytes } from 'node:crypto';
import type { TestDb } from '../../../../test/db.ts';
import { manualClock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/db.ts';
import { newId } from '../../../platform/ids.ts';
import { createDevOutboxSmsSender, createMfaMethods, type SmsSender } from './index.ts';

export const WEBAUTHN = { rpId: 'localhost', rpName: 'Strongroom', origin: 'https://localhost:8443' };

export async function insertUser(q: Queryable, email = `u-${randomBytes(4).toString('hex')}@example.test`) {
  const id = newId();
  await q.query(
    `INSERT INTO identity.users (id, email, email_normalized, name, status, created_at)
     VALUES ($1, $2, lower($2), 'Test User', 'active', now())`,
    [id, email],
  );
  return id;
}

export function createTestMfa(t: TestDb, opts: { sms?: SmsSender } = {}) {
  const clock = manualClock('2026-11-24T09:00:00.000Z');
  const sealKey = randomBytes(32);
  const smsCodeKey = randomBytes(32);
  const sms = opts.sms ?? createDevOutboxSmsSender(t.db, sealKey, clock);
  const mfa = createMfaMethods({ clock, sealKey, smsCodeKey, sms, webauthn: WEBAUTHN });
  return { mfa, clock, sealKey, smsCodeKey, db: t.db };
}
