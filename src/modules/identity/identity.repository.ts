/** SQL for identity, in one place. The Queryable (pool or transaction) is always the first argument. */
import type { Queryable } from '../../platform/db/db.ts';
import { type ActiveGrant, accessSql } from '../access/index.ts';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  status: string;
  created_at: Date;
  created_by: string | null;
  approved_by: string | null;
  approved_at: Date | null;
  enrolled_at: Date | null;
  last_login_at: Date | null;
  last_activity_at: Date | null;
  failed_login_count: number;
  lockout_level: number;
  locked_until: Date | null;
  lock_reason: string | null;
  departure_at: Date | null;
  offboarded_at: Date | null;
  access_revoked_at: Date | null;
}

export const USER_COLUMNS = `id, email, name, status, created_at, created_by, approved_by, approved_at, enrolled_at,
  last_login_at, last_activity_at, failed_login_count, lockout_level, locked_until, lock_reason, departure_at,
  offboarded_at, access_revoked_at`;

export interface SessionRow {
  id: string;
  user_id: string;
  elevated_until: Date | null;
  is_privileged: boolean;
  created_at: Date;
  last_seen_at: Date;
  idle_expires_at: Date;
  expires_at: Date;
  mfa_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM identity.users WHERE email_normalized = $1`, [
    normaliseEmail(email),
  ]);
  return rows[0];
}

export async function findUserById(q: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM identity.users WHERE id = $1`, [id]);
  return rows[0];
}

export async function countActiveOwners(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    `SELECT count(*) AS n FROM identity.users u
       JOIN access.role_assignments r ON r.user_id = u.id AND r.role = 'owner'
      WHERE u.status = 'active'`,
  );
  return Number(rows[0]?.n ?? 0);
}

export async function countUsers(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: string }>('SELECT count(*) AS n FROM identity.users');
  return Number(rows[0]?.n ?? 0);
}

export async function insertActiveUser(
  q: Queryable,
  u: { id: string; email: string; name: string; at: Date; createdBy: string | null },
): Promise<void> {
  await q.query(
    `INSERT INTO identity.users (id, email, email_normalized, name, status, created_at, created_by,
                                 approved_at, activated_at, enrolled_at, password_changed_at, mfa_changed_at)
     VALUES ($1, $2, $3, $4, 'active', $5, $6, $5, $5, $5, $5, $5)`,
    [u.id, u.email.trim(), normaliseEmail(u.email), u.name, u.at, u.createdBy],
  );
}

export async function insertPassword(q: Queryable, p: { id: string; userId: string; hash: string; at: Date }) {
  await q.query('UPDATE identity.password_credentials SET is_current = false WHERE user_id = $1 AND is_current', [
    p.userId,
  ]);
  await q.query(
    `INSERT INTO identity.password_credentials (id, user_id, hash, created_at, is_current) VALUES ($1, $2, $3, $4, true)`,
    [p.id, p.userId, p.hash, p.at],
  );
}

export async function currentPasswordHash(q: Queryable, userId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ hash: string }>(
    'SELECT hash FROM identity.password_credentials WHERE user_id = $1 AND is_current',
    [userId],
  );
  return rows[0]?.hash;
}

export async function insertTotp(q: Queryable, t: { id: string; userId: string; sealed: Buffer; at: Date }) {
  await q.query(
    'INSERT INTO identity.totp_credentials (id, user_id, secret_sealed, created_at) VALUES ($1, $2, $3, $4)',
    [t.id, t.userId, t.sealed, t.at],
  );
}

export async function lockTotp(q: Queryable, userId: string) {
  const { rows } = await q.query<{ secret_sealed: Buffer; last_used_step: string }>(
    'SELECT secret_sealed, last_used_step FROM identity.totp_credentials WHERE user_id = $1 FOR UPDATE',
    [userId],
  );
  return rows[0];
}

export async function setTotpStep(q: Queryable, userId: string, step: number) {
  await q.query('UPDATE identity.totp_credentials SET last_used_step = $2 WHERE user_id = $1', [userId, step]);
}

export async function insertChallenge(
  q: Queryable,
  c: { id: string; tokenHash: Buffer; userId: string; at: Date; expiresAt: Date },
) {
  await q.query(
    `INSERT INTO identity.login_challenges (id, token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
    [c.id, c.tokenHash, c.userId, c.at, c.expiresAt],
  );
}

export async function lockChallenge(q: Queryable, tokenHash: Buffer) {
  const { rows } = await q.query<{
    id: string;
    user_id: string;
    expires_at: Date;
    attempts: number;
    consumed_at: Date | null;
  }>(
    `SELECT id, user_id, expires_at, attempts, consumed_at FROM identity.login_challenges
      WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return rows[0];
}

export async function updateChallenge(q: Queryable, id: string, attempts: number, consumedAt: Date | null) {
  await q.query('UPDATE identity.login_challenges SET attempts = $2, consumed_at = $3 WHERE id = $1', [
    id,
    attempts,
    consumedAt,
  ]);
}

export async function endLiveSessions(q: Queryable, userId: string, reason: string, at: Date): Promise<number> {
  const res = await q.query(
    `UPDATE identity.sessions SET ended_at = $3, end_reason = $2 WHERE user_id = $1 AND ended_at IS NULL`,
    [userId, reason, at],
  );
  return res.rowCount;
}

export async function insertSession(
  q: Queryable,
  s: {
    id: string;
    tokenHash: Buffer;
    userId: string;
    at: Date;
    idleExpiresAt: Date;
    expiresAt: Date;
    ipHash: string;
    isPrivileged: boolean;
    elevatedUntil: Date | null;
  },
) {
  await q.query(
    `INSERT INTO identity.sessions (id, token_hash, user_id, created_at, last_seen_at, idle_expires_at, expires_at,
                                    mfa_at, ip_hash, is_privileged, elevated_until)
     VALUES ($1, $2, $3, $4, $4, $5, $6, $4, $7, $8, $9)`,
    [s.id, s.tokenHash, s.userId, s.at, s.idleExpiresAt, s.expiresAt, s.ipHash, s.isPrivileged, s.elevatedUntil],
  );
}

export async function findSessionByTokenHash(q: Queryable, tokenHash: Buffer): Promise<SessionRow | undefined> {
  const { rows } = await q.query<SessionRow>(
    `SELECT id, user_id, created_at, last_seen_at, idle_expires_at, expires_at, mfa_at, ended_at, end_reason,
            elevated_until, is_privileged
       FROM identity.sessions WHERE token_hash = $1`,
    [tokenHash],
  );
  return rows[0];
}

/** A session with what authentication needs of its user and their access, read in one query. */
export interface AuthContextRow extends SessionRow {
  user_status: string | null;
  user_locked_until: Date | null;
  roles: string[];
  grants: ActiveGrant[];
  custom_roles: Record<string, string[]> | null;
}

/**
 * Authentication runs on every request, so it reads the session, its user, roles, active grants and custom roles
 * in one round trip instead of four or five (IAM-04: the rows are read fresh each time; nothing is cached).
 */
export async function findAuthContextByTokenHash(
  q: Queryable,
  tokenHash: Buffer,
  at: Date,
): Promise<AuthContextRow | undefined> {
  const { rows } = await q.query<AuthContextRow>(
    `SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.idle_expires_at, s.expires_at, s.mfa_at, s.ended_at,
            s.end_reason, s.elevated_until, s.is_privileged,
            u.status AS user_status, u.locked_until AS user_locked_until,
            ${accessSql.roles('s.user_id')} AS roles,
            ${accessSql.activeGrants('s.user_id', '$2')} AS grants,
            ${accessSql.customRoles('s.user_id')} AS custom_roles
       FROM identity.sessions s LEFT JOIN identity.users u ON u.id = s.user_id
      WHERE s.token_hash = $1`,
    [tokenHash, at],
  );
  return rows[0];
}

/** Moves a live session's idle expiry and the user's last activity (IAM-06) in one statement. */
export async function touchSessionAndUser(
  q: Queryable,
  s: { id: string; userId: string; at: Date; idleExpiresAt: Date },
) {
  await q.query(
    `WITH touched AS (
       UPDATE identity.sessions SET last_seen_at = $3, idle_expires_at = $4 WHERE id = $1 AND ended_at IS NULL
     )
     UPDATE identity.users SET last_activity_at = $3 WHERE id = $2`,
    [s.id, s.userId, s.at, s.idleExpiresAt],
  );
}

export async function touchSession(q: Queryable, id: string, at: Date, idleExpiresAt: Date) {
  await q.query(
    'UPDATE identity.sessions SET last_seen_at = $2, idle_expires_at = $3 WHERE id = $1 AND ended_at IS NULL',
    [id, at, idleExpiresAt],
  );
}

export async function endSession(q: Queryable, id: string, reason: string, at: Date): Promise<boolean> {
  const res = await q.query(
    'UPDATE identity.sessions SET ended_at = $3, end_reason = $2 WHERE id = $1 AND ended_at IS NULL',
    [id, reason, at],
  );
  return res.rowCount > 0;
}

export async function markLogin(q: Queryable, userId: string, at: Date) {
  await q.query(
    `UPDATE identity.users SET last_login_at = $2, last_activity_at = $2, failed_login_count = 0, lockout_level = 0
      WHERE id = $1`,
    [userId, at],
  );
}

/** Counts a failure; at the threshold locks for base × 2^level minutes (progressive) and returns those minutes. */
export async function recordFailedLogin(
  q: Queryable,
  userId: string,
  at: Date,
  policy: { threshold: number; baseMinutes: number },
): Promise<number | undefined> {
  const { rows } = await q.query<{ failed_login_count: number; lockout_level: number }>(
    `UPDATE identity.users SET failed_login_count = failed_login_count + 1 WHERE id = $1
      RETURNING failed_login_count, lockout_level`,
    [userId],
  );
  const r = rows[0];
  if (!r || r.failed_login_count < policy.threshold) return undefined;
  const minutes = policy.baseMinutes * 2 ** Math.min(r.lockout_level, 10);
  await q.query(
    `UPDATE identity.users SET failed_login_count = 0, lockout_level = lockout_level + 1, locked_until = $2,
            lock_reason = 'failed_logins' WHERE id = $1`,
    [userId, new Date(at.getTime() + minutes * 60_000)],
  );
  return minutes;
}

/** Per-IP failure window; returns true when the IP is (now) throttled. */
export async function recordIpFailure(
  q: Queryable,
  ipHash: string,
  at: Date,
  policy: { max: number; windowSeconds: number },
): Promise<boolean> {
  const windowStart = new Date(at.getTime() - policy.windowSeconds * 1000);
  const { rows } = await q.query<{ failures: number }>(
    `INSERT INTO identity.login_throttle AS t (ip_hash, failures, window_started_at) VALUES ($1, 1, $2)
     ON CONFLICT (ip_hash) DO UPDATE SET
       failures = CASE WHEN t.window_started_at < $3 THEN 1 ELSE t.failures + 1 END,
       window_started_at = CASE WHEN t.window_started_at < $3 THEN $2 ELSE t.window_started_at END
     RETURNING failures`,
    [ipHash, at, windowStart],
  );
  if ((rows[0]?.failures ?? 0) < policy.max) return false;
  await q.query('UPDATE identity.login_throttle SET blocked_until = $2 WHERE ip_hash = $1', [
    ipHash,
    new Date(at.getTime() + policy.windowSeconds * 1000),
  ]);
  return true;
}

export async function isIpThrottled(q: Queryable, ipHash: string, at: Date): Promise<boolean> {
  const { rows } = await q.query<{ blocked_until: Date | null }>(
    'SELECT blocked_until FROM identity.login_throttle WHERE ip_hash = $1',
    [ipHash],
  );
  const until = rows[0]?.blocked_until;
  return Boolean(until && until > at);
}

export async function recentPasswordHashes(q: Queryable, userId: string, limit: number): Promise<string[]> {
  const { rows } = await q.query<{ hash: string }>(
    'SELECT hash FROM identity.password_credentials WHERE user_id = $1 ORDER BY created_at DESC, is_current DESC LIMIT $2',
    [userId, limit],
  );
  return rows.map((r) => r.hash);
}

export async function touchUserActivity(q: Queryable, userId: string, at: Date) {
  await q.query('UPDATE identity.users SET last_activity_at = $2 WHERE id = $1', [userId, at]);
}

export async function setElevation(q: Queryable, sessionId: string, until: Date | null) {
  await q.query('UPDATE identity.sessions SET elevated_until = $2 WHERE id = $1', [sessionId, until]);
}

export async function insertElevation(
  q: Queryable,
  e: {
    id: string;
    userId: string;
    sessionId: string;
    reason: string;
    via: 'sign_in' | 'explicit';
    at: Date;
    endsAt: Date;
  },
) {
  await q.query(
    `INSERT INTO identity.elevations (id, user_id, session_id, reason, via, started_at, ends_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.id, e.userId, e.sessionId, e.reason, e.via, e.at, e.endsAt],
  );
}

export async function endElevations(q: Queryable, sessionId: string, at: Date) {
  await q.query('UPDATE identity.elevations SET ended_at = $2 WHERE session_id = $1 AND ended_at IS NULL', [
    sessionId,
    at,
  ]);
}

export async function rotateSessionToken(q: Queryable, sessionId: string, tokenHash: Buffer) {
  await q.query('UPDATE identity.sessions SET token_hash = $2 WHERE id = $1', [sessionId, tokenHash]);
}

export async function setSessionMfa(q: Queryable, sessionId: string, at: Date) {
  await q.query('UPDATE identity.sessions SET mfa_at = $2 WHERE id = $1', [sessionId, at]);
}

export async function sessionsOf(q: Queryable, userId: string, limit: number) {
  const { rows } = await q.query<SessionRow & { ip_hash: string | null; elevated_until: Date | null }>(
    `SELECT id, user_id, created_at, last_seen_at, idle_expires_at, expires_at, mfa_at, ended_at, end_reason, ip_hash,
            elevated_until
       FROM identity.sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [userId, limit],
  );
  return rows;
}

export async function rolesOf(q: Queryable, userId: string): Promise<string[]> {
  const { rows } = await q.query<{ role: string }>(
    'SELECT role FROM access.role_assignments WHERE user_id = $1 ORDER BY role',
    [userId],
  );
  return rows.map((r) => r.role);
}

export async function assignRole(
  q: Queryable,
  a: { userId: string; role: string; grantedBy: string | null; via: string; at: Date },
) {
  await q.query(
    `INSERT INTO access.role_assignments (user_id, role, granted_by, granted_via, granted_at) VALUES ($1, $2, $3, $4, $5)`,
    [a.userId, a.role, a.grantedBy, a.via, a.at],
  );
}

// --- setup tokens ---

export async function revokeOpenSetupTokens(q: Queryable, at: Date) {
  await q.query('UPDATE identity.setup_tokens SET revoked_at = $1 WHERE consumed_at IS NULL AND revoked_at IS NULL', [
    at,
  ]);
}

export async function insertSetupToken(q: Queryable, t: { id: string; tokenHash: Buffer; at: Date; expiresAt: Date }) {
  await q.query('INSERT INTO identity.setup_tokens (id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    t.id,
    t.tokenHash,
    t.at,
    t.expiresAt,
  ]);
}

export interface SetupTokenRow {
  id: string;
  expires_at: Date;
  consumed_at: Date | null;
  revoked_at: Date | null;
  pending_totp_sealed: Buffer | null;
}

export async function lockSetupToken(q: Queryable, tokenHash: Buffer): Promise<SetupTokenRow | undefined> {
  const { rows } = await q.query<SetupTokenRow>(
    `SELECT id, expires_at, consumed_at, revoked_at, pending_totp_sealed FROM identity.setup_tokens
      WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return rows[0];
}

export async function setSetupPendingTotp(q: Queryable, id: string, sealed: Buffer) {
  await q.query('UPDATE identity.setup_tokens SET pending_totp_sealed = $2 WHERE id = $1', [id, sealed]);
}

export async function consumeSetupToken(q: Queryable, id: string, at: Date) {
  await q.query('UPDATE identity.setup_tokens SET consumed_at = $2, pending_totp_sealed = NULL WHERE id = $1', [
    id,
    at,
  ]);
}
