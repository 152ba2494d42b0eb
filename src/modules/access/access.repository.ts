/** SQL for access: grants, custom roles, IP allow-lists. The Queryable is always the first argument. */
import type { Queryable } from '../../platform/db/db.ts';

export interface GrantRow {
  id: string;
  user_id: string;
  permission: string;
  owner_ids: string[] | null;
  expires_at: Date | null;
  status: string;
  reason: string | null;
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const GRANT_COLUMNS =
  'id, user_id, permission, owner_ids, expires_at, status, reason, requested_by, requested_at, decided_by, decided_at, revoked_at, last_used_at';

export async function insertGrant(
  q: Queryable,
  g: {
    id: string;
    userId: string;
    permission: string;
    ownerIds: string[] | null;
    expiresAt: Date | null;
    reason: string | null;
    requestedBy: string;
    at: Date;
  },
) {
  await q.query(
    `INSERT INTO access.grants (id, user_id, permission, owner_ids, expires_at, status, reason, requested_by, requested_at)
     VALUES ($1, $2, $3, $4, $5, 'pending_approval', $6, $7, $8)`,
    [g.id, g.userId, g.permission, g.ownerIds, g.expiresAt, g.reason, g.requestedBy, g.at],
  );
}

export async function lockGrant(q: Queryable, id: string): Promise<GrantRow | undefined> {
  const { rows } = await q.query<GrantRow>(`SELECT ${GRANT_COLUMNS} FROM access.grants WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

export async function decideGrant(q: Queryable, id: string, status: 'active' | 'rejected', by: string, at: Date) {
  await q.query('UPDATE access.grants SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1', [
    id,
    status,
    by,
    at,
  ]);
}

export async function revokeGrant(q: Queryable, id: string, by: string | null, at: Date) {
  await q.query(
    `UPDATE access.grants SET status = 'revoked', revoked_by = $2, revoked_at = $3 WHERE id = $1 AND status <> 'revoked'`,
    [id, by, at],
  );
}

/** Ends every live or pending grant of a user (offboarding); returns how many. */
export async function revokeAllGrantsOf(q: Queryable, userId: string, by: string | null, at: Date): Promise<number> {
  const res = await q.query(
    `UPDATE access.grants SET status = 'revoked', revoked_by = $2, revoked_at = $3
      WHERE user_id = $1 AND status IN ('active', 'pending_approval')`,
    [userId, by, at],
  );
  return res.rowCount;
}

/** The part of a grant that authentication needs (IAM-08): what, for which owners, until when (ISO text in JSON). */
export interface ActiveGrant {
  id: string;
  permission: string;
  owner_ids: string[] | null;
  expires_at: Date | string | null;
}

/**
 * SQL expressions that load a user's roles and access inside another query (authentication reads the session,
 * the user and these in one round trip). `userId` and `at` are SQL expressions (a column, a parameter).
 * - roles: text[] of the user's roles, sorted;
 * - activeGrants: a JSON array of active, unexpired grants ({ id, permission, owner_ids, expires_at });
 * - customRoles: a JSON object (custom role name → permissions) of the custom roles the user holds, or NULL.
 */
export const accessSql = {
  roles: (userId: string) =>
    `coalesce((SELECT array_agg(ra.role ORDER BY ra.role) FROM access.role_assignments ra WHERE ra.user_id = ${userId}),
              '{}'::text[])`,
  activeGrants: (userId: string, at: string) =>
    `(SELECT coalesce(json_agg(json_build_object('id', g.id, 'permission', g.permission, 'owner_ids', g.owner_ids,
                                                 'expires_at', g.expires_at)), '[]'::json)
        FROM access.grants g
       WHERE g.user_id = ${userId} AND g.status = 'active' AND (g.expires_at IS NULL OR g.expires_at > ${at}))`,
  /** A JSON array of the allow-list entries that apply to the user: global ones and their own ({ cidr, own }). */
  allowlist: (userId: string) =>
    `(SELECT coalesce(json_agg(json_build_object('cidr', a.cidr, 'own', a.user_id IS NOT NULL) ORDER BY a.created_at),
                      '[]'::json)
        FROM access.ip_allowlist a WHERE a.user_id IS NULL OR a.user_id = ${userId})`,
  customRoles: (userId: string) =>
    `(SELECT json_object_agg(c.name, c.permissions) FROM access.custom_roles c
       WHERE c.name IN (SELECT ra.role FROM access.role_assignments ra WHERE ra.user_id = ${userId}))`,
};

export async function activeGrantsOf(q: Queryable, userId: string, at: Date): Promise<GrantRow[]> {
  const { rows } = await q.query<GrantRow>(
    `SELECT ${GRANT_COLUMNS} FROM access.grants
      WHERE user_id = $1 AND status = 'active' AND (expires_at IS NULL OR expires_at > $2)`,
    [userId, at],
  );
  return rows;
}

export async function listGrants(
  q: Queryable,
  f: { status?: string | undefined; userId?: string | undefined; limit: number },
): Promise<GrantRow[]> {
  const { rows } = await q.query<GrantRow>(
    `SELECT ${GRANT_COLUMNS} FROM access.grants
      WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR user_id = $2)
      ORDER BY requested_at DESC LIMIT $3`,
    [f.status ?? null, f.userId ?? null, f.limit],
  );
  return rows;
}

export async function touchGrant(q: Queryable, id: string, at: Date) {
  await q.query('UPDATE access.grants SET last_used_at = $2 WHERE id = $1', [id, at]);
}

// --- custom roles ---

export async function customRoles(q: Queryable): Promise<Map<string, string[]>> {
  const { rows } = await q.query<{ name: string; permissions: string[] }>(
    'SELECT name, permissions FROM access.custom_roles',
  );
  return new Map(rows.map((r) => [r.name, r.permissions]));
}

export async function listCustomRoles(q: Queryable) {
  const { rows } = await q.query<{ name: string; description: string; permissions: string[]; created_at: Date }>(
    'SELECT name, description, permissions, created_at FROM access.custom_roles ORDER BY name',
  );
  return rows;
}

export async function insertCustomRole(
  q: Queryable,
  r: { name: string; description: string; permissions: string[]; createdBy: string; at: Date },
) {
  await q.query(
    'INSERT INTO access.custom_roles (name, description, permissions, created_by, created_at) VALUES ($1, $2, $3, $4, $5)',
    [r.name, r.description, r.permissions, r.createdBy, r.at],
  );
}

// --- IP allow-lists ---

export interface AllowlistRow {
  id: string;
  cidr: string;
  user_id: string | null;
  label: string;
  created_at: Date;
}

export async function allowlist(q: Queryable, userId?: string): Promise<AllowlistRow[]> {
  const { rows } = await q.query<AllowlistRow>(
    `SELECT id, cidr, user_id, label, created_at FROM access.ip_allowlist
      WHERE user_id IS NULL OR user_id = $1 ORDER BY created_at`,
    [userId ?? null],
  );
  return rows;
}

export async function allAllowlistEntries(q: Queryable): Promise<AllowlistRow[]> {
  const { rows } = await q.query<AllowlistRow>(
    'SELECT id, cidr, user_id, label, created_at FROM access.ip_allowlist ORDER BY user_id NULLS FIRST, created_at',
  );
  return rows;
}

export async function insertAllowlistEntry(
  q: Queryable,
  e: { id: string; cidr: string; userId: string | null; label: string; createdBy: string | null; at: Date },
) {
  await q.query(
    'INSERT INTO access.ip_allowlist (id, cidr, user_id, label, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [e.id, e.cidr, e.userId, e.label, e.createdBy, e.at],
  );
}

export async function deleteAllowlistEntry(q: Queryable, id: string): Promise<AllowlistRow | undefined> {
  const { rows } = await q.query<AllowlistRow>(
    'DELETE FROM access.ip_allowlist WHERE id = $1 RETURNING id, cidr, user_id, label, created_at',
    [id],
  );
  return rows[0];
}

/** IAM-12: when a permission was last exercised, on the role assignments and grants that give it. */
export async function recordPermissionUse(q: Queryable, userId: string, roles: string[], at: Date) {
  if (roles.length) {
    await q.query(
      'UPDATE access.role_assignments SET last_used_at = $3 WHERE user_id = $1 AND role = ANY($2::text[])',
      [userId, roles, at],
    );
  }
}
