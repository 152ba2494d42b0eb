/** SQL for user administration, enrolment and service tokens. */
import type { Queryable } from '../../platform/db/db.ts';
import { normaliseEmail, USER_COLUMNS, type UserRow } from './identity.repository.ts';

export async function insertPendingUser(
  q: Queryable,
  u: { id: string; email: string; name: string; at: Date; createdBy: string | null },
) {
  await q.query(
    `INSERT INTO identity.users (id, email, email_normalized, name, status, created_at, created_by)
     VALUES ($1, $2, $3, $4, 'pending_approval', $5, $6)`,
    [u.id, u.email.trim(), normaliseEmail(u.email), u.name, u.at, u.createdBy],
  );
}

export async function lockUser(q: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM identity.users WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

export async function setStatus(q: Queryable, id: string, status: string, fields: Record<string, unknown> = {}) {
  const allowed = [
    'approved_by',
    'approved_at',
    'activated_at',
    'lock_reason',
    'locked_until',
    'failed_login_count',
    'lockout_level',
    'offboarded_at',
    'offboarded_by',
    'access_revoked_at',
    'departure_at',
  ];
  const sets = ['status = $2'];
  const params: unknown[] = [id, status];
  for (const [k, v] of Object.entries(fields)) {
    if (!allowed.includes(k)) throw new Error(`column ${k} not settable`);
    params.push(v);
    sets.push(`${k} = $${params.length}`);
  }
  await q.query(`UPDATE identity.users SET ${sets.join(', ')} WHERE id = $1`, params);
}

export async function setDeparture(q: Queryable, id: string, at: Date | null) {
  await q.query('UPDATE identity.users SET departure_at = $2 WHERE id = $1', [id, at]);
}

export async function listUsers(q: Queryable, f: { status?: string | undefined; limit: number; offset: number }) {
  const { rows } = await q.query<UserRow & { roles: string[] }>(
    `SELECT ${USER_COLUMNS.split(',')
      .map((c) => `u.${c.trim()}`)
      .join(', ')},
            coalesce(array_agg(r.role ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL), '{}') AS roles
       FROM identity.users u LEFT JOIN access.role_assignments r ON r.user_id = u.id
      WHERE ($1::text IS NULL OR u.status = $1)
      GROUP BY u.id ORDER BY u.created_at DESC LIMIT $2 OFFSET $3`,
    [f.status ?? null, f.limit, f.offset],
  );
  return rows;
}

export async function roleAssignments(q: Queryable, userId: string) {
  const { rows } = await q.query<{
    role: string;
    granted_by: string | null;
    granted_via: string;
    granted_at: Date;
    last_used_at: Date | null;
  }>(
    'SELECT role, granted_by, granted_via, granted_at, last_used_at FROM access.role_assignments WHERE user_id = $1 ORDER BY role',
    [userId],
  );
  return rows;
}

export async function removeRole(q: Queryable, userId: string, role: string): Promise<boolean> {
  const res = await q.query('DELETE FROM access.role_assignments WHERE user_id = $1 AND role = $2', [userId, role]);
  return res.rowCount > 0;
}

export async function removeAllRoles(q: Queryable, userId: string): Promise<number> {
  const res = await q.query('DELETE FROM access.role_assignments WHERE user_id = $1', [userId]);
  return res.rowCount;
}

export async function hasTotp(q: Queryable, userId: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM identity.totp_credentials WHERE user_id = $1', [userId]);
  return rows.length > 0;
}

// --- enrolment tokens ---

export async function revokeEnrollmentTokens(q: Queryable, userId: string, at: Date) {
  await q.query(
    'UPDATE identity.enrollment_tokens SET revoked_at = $2 WHERE user_id = $1 AND consumed_at IS NULL AND revoked_at IS NULL',
    [userId, at],
  );
}

export async function insertEnrollmentToken(
  q: Queryable,
  t: { id: string; tokenHash: Buffer; userId: string; createdBy: string | null; at: Date; expiresAt: Date },
) {
  await q.query(
    `INSERT INTO identity.enrollment_tokens (id, token_hash, user_id, created_by, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [t.id, t.tokenHash, t.userId, t.createdBy, t.at, t.expiresAt],
  );
}

export async function lockEnrollmentToken(q: Queryable, tokenHash: Buffer) {
  const { rows } = await q.query<{
    id: string;
    user_id: string;
    expires_at: Date;
    consumed_at: Date | null;
    revoked_at: Date | null;
    pending_totp_sealed: Buffer | null;
  }>(
    `SELECT id, user_id, expires_at, consumed_at, revoked_at, pending_totp_sealed FROM identity.enrollment_tokens
      WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return rows[0];
}

export async function setEnrollmentPendingTotp(q: Queryable, id: string, sealed: Buffer) {
  await q.query('UPDATE identity.enrollment_tokens SET pending_totp_sealed = $2 WHERE id = $1', [id, sealed]);
}

export async function consumeEnrollmentToken(q: Queryable, id: string, at: Date) {
  await q.query('UPDATE identity.enrollment_tokens SET consumed_at = $2, pending_totp_sealed = NULL WHERE id = $1', [
    id,
    at,
  ]);
}

export async function markEnrolled(q: Queryable, userId: string, at: Date) {
  await q.query(
    'UPDATE identity.users SET enrolled_at = $2, password_changed_at = $2, mfa_changed_at = $2 WHERE id = $1',
    [userId, at],
  );
}

// --- service tokens ---

export interface ServiceTokenRow {
  id: string;
  name: string;
  scopes: string[];
  allowed_cidrs: string[];
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const TOKEN_COLUMNS = 'id, name, scopes, allowed_cidrs, created_by, created_at, expires_at, last_used_at, revoked_at';

export async function insertServiceToken(
  q: Queryable,
  t: {
    id: string;
    name: string;
    tokenHash: Buffer;
    scopes: string[];
    cidrs: string[];
    by: string;
    at: Date;
    expiresAt: Date | null;
  },
) {
  await q.query(
    `INSERT INTO identity.service_tokens (id, name, token_hash, scopes, allowed_cidrs, created_by, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [t.id, t.name, t.tokenHash, t.scopes, t.cidrs, t.by, t.at, t.expiresAt],
  );
}

export async function findServiceToken(q: Queryable, tokenHash: Buffer): Promise<ServiceTokenRow | undefined> {
  const { rows } = await q.query<ServiceTokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM identity.service_tokens WHERE token_hash = $1`,
    [tokenHash],
  );
  return rows[0];
}

export async function listServiceTokens(q: Queryable): Promise<ServiceTokenRow[]> {
  const { rows } = await q.query<ServiceTokenRow>(
    `SELECT ${TOKEN_COLUMNS} FROM identity.service_tokens ORDER BY created_at DESC`,
  );
  return rows;
}

export async function revokeServiceToken(q: Queryable, id: string, by: string | null, at: Date): Promise<boolean> {
  const res = await q.query(
    'UPDATE identity.service_tokens SET revoked_at = $3, revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL',
    [id, by, at],
  );
  return res.rowCount > 0;
}

export async function revokeServiceTokensOf(q: Queryable, userId: string, at: Date): Promise<number> {
  const res = await q.query(
    'UPDATE identity.service_tokens SET revoked_at = $2, revoked_by = $1 WHERE created_by = $1 AND revoked_at IS NULL',
    [userId, at],
  );
  return res.rowCount;
}

export async function touchServiceToken(q: Queryable, id: string, at: Date, ipHash: string) {
  await q.query('UPDATE identity.service_tokens SET last_used_at = $2, last_used_ip_hash = $3 WHERE id = $1', [
    id,
    at,
    ipHash,
  ]);
}
