/** Read models for the users screens: list, detail (roles with provenance, sessions, MFA), approvals queue. */
import type { Queryable } from '../../platform/db/db.ts';
import type { AccessService } from '../access/access.service.ts';
import * as errors from './identity.errors.ts';
import type { UserRow } from './identity.repository.ts';
import * as repo from './identity.repository.ts';
import * as users from './users.repository.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const userSummary = (u: UserRow & { roles?: string[] }, now: Date) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  status: u.status,
  roles: u.roles ?? [],
  enrolled: u.enrolled_at !== null,
  lockedUntil: u.locked_until && u.locked_until > now ? u.locked_until.toISOString() : null,
  createdAt: u.created_at.toISOString(),
  createdBy: u.created_by,
  approvedBy: u.approved_by,
  lastLoginAt: iso(u.last_login_at),
  lastActivityAt: iso(u.last_activity_at),
  departureAt: iso(u.departure_at),
  offboardedAt: iso(u.offboarded_at),
});

export function createUserQueries(deps: { db: Queryable; access: Pick<AccessService, 'listGrants'>; now: () => Date }) {
  const { db } = deps;
  return {
    async listUsers(f: { status?: string | undefined; limit: number; offset: number }) {
      const rows = await users.listUsers(db, f);
      return rows.map((u) => userSummary(u, deps.now()));
    },

    async userDetail(userId: string) {
      const u = await repo.findUserById(db, userId);
      if (!u) throw errors.userNotFound();
      const roles = await users.roleAssignments(db, userId);
      const sessions = (await repo.sessionsOf(db, userId, 10)).filter((s) => !s.ended_at);
      return {
        ...userSummary({ ...u, roles: roles.map((r) => r.role) }, deps.now()),
        lockReason: u.lock_reason,
        roleAssignments: roles.map((r) => ({
          role: r.role,
          grantedBy: r.granted_by,
          grantedVia: r.granted_via,
          grantedAt: r.granted_at.toISOString(),
          lastUsedAt: iso(r.last_used_at),
        })),
        grants: await deps.access.listGrants(db, { userId, limit: 50 }),
        sessions: sessions.map((s) => ({
          id: s.id,
          createdAt: s.created_at.toISOString(),
          lastSeenAt: s.last_seen_at.toISOString(),
          expiresAt: s.expires_at.toISOString(),
          elevatedUntil: iso(s.elevated_until),
        })),
        mfaMethods: (await users.hasTotp(db, userId)) ? ['totp'] : [],
      };
    },
  };
}
