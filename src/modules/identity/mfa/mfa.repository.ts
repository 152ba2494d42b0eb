/**
 * SQL for recovery codes, the method overview and the per-user MFA lock (passkeys: webauthn.repository.ts,
 * SMS: sms.repository.ts).
 * The Queryable (pool or transaction) is always the first argument; parameterised SQL only. Single use is
 * enforced by conditional UPDATE … RETURNING, which is atomic on its own, even outside a transaction.
 */
import type { Queryable } from '../../../platform/db/db.ts';

/** Serialises MFA changes of one user (last-method check, SMS rate limit) for the rest of the transaction. */
export async function lockUserMfa(q: Queryable, userId: string): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtextextended('identity.mfa:' || $1, 0))`, [userId]);
}

// --- recovery codes ---

/** Deletes the user's whole set; returns how many unused codes it held. */
export async function deleteRecoveryCodes(q: Queryable, userId: string): Promise<number> {
  const { rows } = await q.query<{ unused: boolean }>(
    'DELETE FROM identity.recovery_codes WHERE user_id = $1 RETURNING used_at IS NULL AS unused',
    [userId],
  );
  return rows.filter((r) => r.unused).length;
}

export async function insertRecoveryCodes(
  q: Queryable,
  userId: string,
  codes: readonly { id: string; mac: Buffer }[],
  at: Date,
): Promise<void> {
  const params: unknown[] = [userId, at];
  const values = codes.map((c) => {
    params.push(c.id, c.mac);
    return `($${params.length - 1}, $1, $${params.length}, $2)`;
  });
  await q.query(
    `INSERT INTO identity.recovery_codes (id, user_id, code_mac, created_at) VALUES ${values.join(', ')}`,
    params,
  );
}

/** 'used' when this call used it; 'reused' when it was already used; undefined when no such code exists. */
export async function spendRecoveryCode(q: Queryable, userId: string, mac: Buffer, at: Date) {
  // Concurrent callers: the second waits on the row lock, then sees used_at set and matches nothing.
  const used = await q.query(
    `UPDATE identity.recovery_codes SET used_at = $3
      WHERE user_id = $1 AND code_mac = $2 AND used_at IS NULL RETURNING id`,
    [userId, mac, at],
  );
  if (used.rows.length === 1) return 'used' as const;
  const { rows } = await q.query('SELECT 1 FROM identity.recovery_codes WHERE user_id = $1 AND code_mac = $2', [
    userId,
    mac,
  ]);
  return rows.length ? ('reused' as const) : undefined;
}

export async function countUnusedRecoveryCodes(q: Queryable, userId: string): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    'SELECT count(*) AS n FROM identity.recovery_codes WHERE user_id = $1 AND used_at IS NULL',
    [userId],
  );
  return Number(rows[0]?.n ?? 0);
}

// --- overview ---

export async function enrolmentCounts(q: Queryable, userId: string) {
  const { rows } = await q.query<{ totp: string; webauthn: string; sms: string; recovery: string }>(
    `SELECT (SELECT count(*) FROM identity.totp_credentials WHERE user_id = $1) AS totp,
            (SELECT count(*) FROM identity.webauthn_credentials WHERE user_id = $1) AS webauthn,
            (SELECT count(*) FROM identity.sms_phones WHERE user_id = $1 AND status = 'active') AS sms,
            (SELECT count(*) FROM identity.recovery_codes WHERE user_id = $1 AND used_at IS NULL) AS recovery`,
    [userId],
  );
  const r = rows[0];
  return {
    totp: Number(r?.totp ?? 0),
    webauthn: Number(r?.webauthn ?? 0),
    sms: Number(r?.sms ?? 0),
    recovery: Number(r?.recovery ?? 0),
  };
}

/** TOTP rows belong to identity's sign-in code; removal is offered here so all methods are managed alike. */
export async function deleteTotp(q: Queryable, userId: string): Promise<number> {
  return (await q.query('DELETE FROM identity.totp_credentials WHERE user_id = $1', [userId])).rowCount;
}

/** Housekeeping: challenges and SMS codes past their use. SMS codes are kept a day for the hourly rate limit. */
export async function purgeExpired(q: Queryable, now: Date): Promise<number> {
  const a = await q.query('DELETE FROM identity.webauthn_challenges WHERE expires_at < $1', [now]);
  const b = await q.query(`DELETE FROM identity.sms_codes WHERE created_at < $1::timestamptz - interval '1 day'`, [
    now,
  ]);
  return a.rowCount + b.rowCount;
}
