/**
 * SQL for passkeys and their ceremony challenges. The Queryable is always the first argument; parameterised
 * SQL only. A challenge is consumed by a conditional UPDATE … RETURNING, atomic even outside a transaction.
 */
import type { Queryable } from '../../../platform/db/db.ts';

// --- WebAuthn challenges ---

export async function insertWebauthnChallenge(
  q: Queryable,
  c: {
    id: string;
    userId: string;
    purpose: 'registration' | 'authentication';
    hash: Buffer;
    at: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO identity.webauthn_challenges (id, user_id, purpose, challenge_hash, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [c.id, c.userId, c.purpose, c.hash, c.at, c.expiresAt],
  );
}

/** Marks the challenge used; true only for the first use of a live challenge of this user and purpose. */
export async function consumeWebauthnChallenge(
  q: Queryable,
  c: { userId: string; purpose: 'registration' | 'authentication'; hash: Buffer; at: Date },
): Promise<boolean> {
  const res = await q.query(
    `UPDATE identity.webauthn_challenges SET consumed_at = $4
      WHERE challenge_hash = $3 AND user_id = $1 AND purpose = $2 AND consumed_at IS NULL AND expires_at > $4
      RETURNING id`,
    [c.userId, c.purpose, c.hash, c.at],
  );
  return res.rows.length === 1;
}

// --- WebAuthn credentials ---

export interface WebauthnCredentialRow {
  id: string;
  credential_id: string;
  public_key: Buffer;
  sign_count: string;
  transports: string[];
  label: string;
  device_type: string;
  is_backed_up: boolean;
  created_at: Date;
  last_used_at: Date | null;
}

const CREDENTIAL_COLUMNS = `id, credential_id, public_key, sign_count, transports, label, device_type, is_backed_up,
  created_at, last_used_at`;

export async function listWebauthnCredentials(q: Queryable, userId: string): Promise<WebauthnCredentialRow[]> {
  const { rows } = await q.query<WebauthnCredentialRow>(
    `SELECT ${CREDENTIAL_COLUMNS} FROM identity.webauthn_credentials WHERE user_id = $1 ORDER BY created_at, id`,
    [userId],
  );
  return rows;
}

/** Locks the row so two concurrent assertions cannot both pass the signature-counter check. */
export async function lockWebauthnCredential(q: Queryable, userId: string, credentialId: string) {
  const { rows } = await q.query<WebauthnCredentialRow>(
    `SELECT ${CREDENTIAL_COLUMNS} FROM identity.webauthn_credentials
      WHERE user_id = $1 AND credential_id = $2 FOR UPDATE`,
    [userId, credentialId],
  );
  return rows[0];
}

export async function webauthnCredentialExists(q: Queryable, credentialId: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM identity.webauthn_credentials WHERE credential_id = $1', [
    credentialId,
  ]);
  return rows.length > 0;
}

export async function insertWebauthnCredential(
  q: Queryable,
  c: {
    id: string;
    userId: string;
    credentialId: string;
    publicKey: Buffer;
    signCount: number;
    transports: string[];
    label: string;
    aaguid: string;
    deviceType: string;
    isBackedUp: boolean;
    at: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO identity.webauthn_credentials (id, user_id, credential_id, public_key, sign_count, transports, label,
                                                aaguid, device_type, is_backed_up, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      c.id,
      c.userId,
      c.credentialId,
      c.publicKey,
      c.signCount,
      c.transports,
      c.label,
      c.aaguid,
      c.deviceType,
      c.isBackedUp,
      c.at,
    ],
  );
}

export async function markWebauthnUsed(q: Queryable, id: string, signCount: number, isBackedUp: boolean, at: Date) {
  await q.query(
    'UPDATE identity.webauthn_credentials SET sign_count = $2, is_backed_up = $3, last_used_at = $4 WHERE id = $1',
    [id, signCount, isBackedUp, at],
  );
}

export async function deleteWebauthnCredential(q: Queryable, userId: string, id: string): Promise<number> {
  const res = await q.query('DELETE FROM identity.webauthn_credentials WHERE user_id = $1 AND id = $2', [userId, id]);
  return res.rowCount;
}
