/**
 * SQL for SMS phones, SMS codes and the development outbox. The Queryable is always the first argument;
 * parameterised SQL only. Phone numbers and messages arrive here already sealed; codes as MACs.
 */
import type { Queryable } from '../../../platform/db/db.ts';

export type SmsPurpose = 'enrolment' | 'login';

export interface SmsPhoneRow {
  id: string;
  phone_sealed: Buffer;
  status: 'pending' | 'active';
  created_at: Date;
  confirmed_at: Date | null;
  last_used_at: Date | null;
}

export async function findPhone(
  q: Queryable,
  userId: string,
  status: 'pending' | 'active',
): Promise<SmsPhoneRow | undefined> {
  const { rows } = await q.query<SmsPhoneRow>(
    `SELECT id, phone_sealed, status, created_at, confirmed_at, last_used_at FROM identity.sms_phones
      WHERE user_id = $1 AND status = $2`,
    [userId, status],
  );
  return rows[0];
}

export async function insertPendingPhone(q: Queryable, p: { id: string; userId: string; sealed: Buffer; at: Date }) {
  await q.query(
    `INSERT INTO identity.sms_phones (id, user_id, phone_sealed, status, created_at) VALUES ($1, $2, $3, 'pending', $4)`,
    [p.id, p.userId, p.sealed, p.at],
  );
}

/** Deletes the user's phones of the given statuses; their codes stay (phone_id → NULL) for the rate limit. */
export async function deletePhones(q: Queryable, userId: string, statuses: readonly string[]): Promise<number> {
  const res = await q.query('DELETE FROM identity.sms_phones WHERE user_id = $1 AND status = ANY($2::text[])', [
    userId,
    statuses,
  ]);
  return res.rowCount;
}

export async function activatePhone(q: Queryable, id: string, at: Date) {
  await q.query(`UPDATE identity.sms_phones SET status = 'active', confirmed_at = $2 WHERE id = $1`, [id, at]);
}

export async function touchPhone(q: Queryable, id: string, at: Date) {
  await q.query('UPDATE identity.sms_phones SET last_used_at = $2 WHERE id = $1', [id, at]);
}

// --- codes ---

/** Input of the rate limit: the newest send to this user (any purpose), and the sends since `since`. */
export async function smsSendStats(q: Queryable, userId: string, since: Date) {
  const { rows } = await q.query<{ last_at: Date | null; n: string; first_since: Date | null }>(
    `SELECT max(created_at) AS last_at, count(*) FILTER (WHERE created_at > $2) AS n,
            min(created_at) FILTER (WHERE created_at > $2) AS first_since
       FROM identity.sms_codes WHERE user_id = $1`,
    [userId, since],
  );
  const r = rows[0];
  return { lastAt: r?.last_at ?? null, sentSince: Number(r?.n ?? 0), firstSince: r?.first_since ?? null };
}

export async function insertSmsCode(
  q: Queryable,
  c: { id: string; userId: string; phoneId: string; purpose: SmsPurpose; mac: Buffer; at: Date; expiresAt: Date },
) {
  await q.query(
    `INSERT INTO identity.sms_codes (id, user_id, phone_id, purpose, code_mac, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [c.id, c.userId, c.phoneId, c.purpose, c.mac, c.at, c.expiresAt],
  );
}

export interface SmsCodeRow {
  id: string;
  phone_id: string | null;
  code_mac: Buffer;
  expires_at: Date;
  attempts: number;
  consumed_at: Date | null;
}

/** The newest code of this purpose for this user, locked: only the latest code sent can ever be valid. */
export async function lockLatestSmsCode(q: Queryable, userId: string, purpose: SmsPurpose) {
  const { rows } = await q.query<SmsCodeRow>(
    `SELECT id, phone_id, code_mac, expires_at, attempts, consumed_at FROM identity.sms_codes
      WHERE user_id = $1 AND purpose = $2 ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE`,
    [userId, purpose],
  );
  return rows[0];
}

/** Counts one attempt; the attempt is refused (undefined) when the limit was already reached. */
export async function countSmsAttempt(q: Queryable, id: string, maxAttempts: number): Promise<number | undefined> {
  const { rows } = await q.query<{ attempts: number }>(
    'UPDATE identity.sms_codes SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2 RETURNING attempts',
    [id, maxAttempts],
  );
  return rows[0]?.attempts;
}

/** True for the one caller that consumed it; a concurrent second verification of the same code gets false. */
export async function consumeSmsCode(q: Queryable, id: string, at: Date): Promise<boolean> {
  const res = await q.query(
    'UPDATE identity.sms_codes SET consumed_at = $2 WHERE id = $1 AND consumed_at IS NULL RETURNING id',
    [id, at],
  );
  return res.rows.length === 1;
}

// --- development outbox ---

export async function insertDevOutbox(
  q: Queryable,
  m: { id: string; at: Date; toSealed: Buffer; textSealed: Buffer },
): Promise<void> {
  await q.query(
    'INSERT INTO identity.sms_dev_outbox (id, created_at, to_sealed, text_sealed) VALUES ($1, $2, $3, $4)',
    [m.id, m.at, m.toSealed, m.textSealed],
  );
}

export async function listDevOutbox(q: Queryable, limit: number) {
  const { rows } = await q.query<{ id: string; created_at: Date; to_sealed: Buffer; text_sealed: Buffer }>(
    'SELECT id, created_at, to_sealed, text_sealed FROM identity.sms_dev_outbox ORDER BY created_at DESC, id LIMIT $1',
    [limit],
  );
  return rows;
}
