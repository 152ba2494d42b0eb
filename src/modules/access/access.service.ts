/**
 * Access decisions: effective permissions (roles + two-person grants, privileged ones dormant until
 * elevation), grant workflow, IP allow-lists and custom roles.
 * Controls: IAM-02 (roles → permissions, least privilege), IAM-08 (confidential-data access only by a grant
 * asked by one top-level admin who holds it and approved by another who holds it), IAM-09 (privileged
 * permissions need an elevation window), IAM-12 (who/when/why/last use kept), IAM-13 (allow-listed IPs).
 */
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Queryable, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditLog } from '../audit/index.ts';
import * as errors from './access.errors.ts';
import * as repo from './access.repository.ts';
import { defaultAllowedCidrs, ipInCidrs, parseCidr } from './ip.ts';
import { grantablePermissions, isBuiltInRole, isPermission, permissionsOf, privilegedPermissions } from './roles.ts';

export interface GrantView {
  id: string;
  permission: string;
  ownerIds: string[] | null;
  expiresAt: string | null;
}

export interface EffectiveAccess {
  /** Usable now. */
  permissions: string[];
  /** Held but dormant until the session elevates (IAM-09). */
  dormantPermissions: string[];
  grants: GrantView[];
}

export interface AccessDeps {
  clock: Clock;
  audit: Pick<AuditLog, 'append'>;
}

export type AccessService = ReturnType<typeof createAccessService>;

const grantView = (g: repo.GrantRow) => ({
  id: g.id,
  userId: g.user_id,
  permission: g.permission,
  ownerIds: g.owner_ids,
  expiresAt: g.expires_at?.toISOString() ?? null,
  status: g.status,
  reason: g.reason,
  requestedBy: g.requested_by,
  requestedAt: g.requested_at.toISOString(),
  decidedBy: g.decided_by,
  decidedAt: g.decided_at?.toISOString() ?? null,
  revokedAt: g.revoked_at?.toISOString() ?? null,
  lastUsedAt: g.last_used_at?.toISOString() ?? null,
});

/**
 * Effective access from roles, the custom roles' permissions and the active, unexpired grants: privileged
 * permissions stay dormant until the session elevates (IAM-09).
 */
export function resolveLoaded(input: {
  roles: readonly string[];
  customRoles: ReadonlyMap<string, readonly string[]>;
  grants: readonly repo.ActiveGrant[];
  elevated: boolean;
}): EffectiveAccess {
  const all = new Set<string>(permissionsOf(input.roles, input.customRoles));
  for (const g of input.grants) all.add(g.permission);
  const permissions: string[] = [];
  const dormantPermissions: string[] = [];
  for (const p of all) {
    if (isPermission(p) && privilegedPermissions.has(p) && !input.elevated) dormantPermissions.push(p);
    else permissions.push(p);
  }
  return {
    permissions,
    dormantPermissions,
    grants: input.grants.map((g) => ({
      id: g.id,
      permission: g.permission,
      ownerIds: g.owner_ids,
      // from JSON (authentication's one query) the time is a string; from a row, a Date
      expiresAt: g.expires_at ? new Date(g.expires_at).toISOString() : null,
    })),
  };
}

/**
 * IAM-13 over entries already read (`accessSql.allowlist`): the global list (or the built-in private ranges when
 * none is set), narrowed by the user's own list.
 */
export function isIpAllowedBy(entries: readonly { cidr: string; own: boolean }[], ip: string): boolean {
  const global = entries.filter((e) => !e.own).map((e) => e.cidr);
  const own = entries.filter((e) => e.own).map((e) => e.cidr);
  if (!ipInCidrs(ip, global.length ? global : defaultAllowedCidrs)) return false;
  return own.length === 0 || ipInCidrs(ip, own);
}

export function createAccessService(deps: AccessDeps) {
  const { clock, audit } = deps;
  const lastUse = new Map<string, number>();
  const auditBase = (actor: Principal, ctx: RequestContext) => ({
    actor: { type: 'user' as const, id: actor.userId },
    ip: ctx.ip,
    requestId: ctx.requestId,
  });
  /** A top-level admin who holds the permission (IAM-08): owner role and the permission in force. */
  const isTopLevelHolder = (p: Principal, permission: string) =>
    p.roles.includes('owner') && (p.permissions.includes(permission) || p.dormantPermissions.includes(permission));

  return {
    async resolve(q: Queryable, userId: string, roles: readonly string[], elevated: boolean): Promise<EffectiveAccess> {
      const custom = roles.some((r) => !isBuiltInRole(r)) ? await repo.customRoles(q) : new Map();
      const grants = await repo.activeGrantsOf(q, userId, clock.now());
      return resolveLoaded({ roles, customRoles: custom, grants, elevated });
    },

    /** `resolve` over rows already loaded (authentication reads them with the session, through `accessSql`). */
    resolveLoaded,

    async requestGrant(
      tx: Tx,
      actor: Principal,
      input: {
        userId: string;
        permission: string;
        ownerIds?: string[] | undefined;
        expiresAt?: string | undefined;
        reason?: string | undefined;
      },
      ctx: RequestContext,
    ) {
      if (!grantablePermissions.has(input.permission as never)) throw errors.permissionNotGrantable(input.permission);
      if (!isTopLevelHolder(actor, input.permission)) throw errors.grantRequesterNotAllowed();
      const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
      if (expiresAt && expiresAt <= clock.now()) throw errors.expiryInPast();
      const { rows } = await tx.query<{ status: string }>('SELECT status FROM identity.users WHERE id = $1', [
        input.userId,
      ]);
      const status = rows[0]?.status;
      if (!status || status === 'offboarded')
        throw new AppError('not_found', 'users.not_found', 'There is no such user.');
      const id = newId();
      const ownerIds = input.ownerIds?.length ? [...new Set(input.ownerIds)] : null;
      await repo.insertGrant(tx, {
        id,
        userId: input.userId,
        permission: input.permission,
        ownerIds,
        expiresAt,
        reason: input.reason ?? null,
        requestedBy: actor.userId,
        at: clock.now(),
      });
      await audit.append(tx, {
        ...auditBase(actor, ctx),
        action: 'access.grant.requested',
        outcome: 'success',
        target: { type: 'grant', id },
        details: {
          permission: input.permission,
          scoped: ownerIds !== null,
          expires: expiresAt !== null,
          grantee: input.userId,
        },
      });
      return { id, status: 'pending_approval' as const };
    },

    async decideGrant(tx: Tx, actor: Principal, grantId: string, decision: 'approve' | 'reject', ctx: RequestContext) {
      const g = await repo.lockGrant(tx, grantId);
      if (!g) throw errors.grantNotFound();
      if (g.status !== 'pending_approval') throw errors.grantNotPending();
      if (g.requested_by === actor.userId || g.user_id === actor.userId) throw errors.grantSelfApproval();
      if (decision === 'approve' && !isTopLevelHolder(actor, g.permission)) throw errors.grantApproverLacksPermission();
      const status = decision === 'approve' ? 'active' : 'rejected';
      await repo.decideGrant(tx, g.id, status, actor.userId, clock.now());
      await audit.append(tx, {
        ...auditBase(actor, ctx),
        action: decision === 'approve' ? 'access.grant.approved' : 'access.grant.rejected',
        outcome: 'success',
        target: { type: 'grant', id: g.id },
        details: { permission: g.permission, grantee: g.user_id },
      });
      return { id: g.id, status };
    },

    async revokeGrant(tx: Tx, actor: Principal, grantId: string, ctx: RequestContext) {
      const g = await repo.lockGrant(tx, grantId);
      if (!g) throw errors.grantNotFound();
      if (g.status === 'revoked' || g.status === 'rejected') throw errors.grantNotPending();
      await repo.revokeGrant(tx, g.id, actor.userId, clock.now());
      await audit.append(tx, {
        ...auditBase(actor, ctx),
        action: 'access.grant.revoked',
        outcome: 'success',
        target: { type: 'grant', id: g.id },
        details: { permission: g.permission, grantee: g.user_id },
      });
      return { id: g.id, status: 'revoked' as const };
    },

    revokeAllGrantsOf: (tx: Tx, userId: string, by: string | null) =>
      repo.revokeAllGrantsOf(tx, userId, by, clock.now()),

    async listGrants(q: Queryable, f: { status?: string | undefined; userId?: string | undefined; limit: number }) {
      return (await repo.listGrants(q, f)).map(grantView);
    },

    /** IAM-13: global list (or the built-in private ranges when none is set), narrowed by the user's own list. */
    async isIpAllowed(q: Queryable, userId: string, ip: string): Promise<boolean> {
      const entries = await repo.allowlist(q, userId);
      return isIpAllowedBy(
        entries.map((e) => ({ cidr: e.cidr, own: e.user_id !== null })),
        ip,
      );
    },

    async listAllowlist(q: Queryable) {
      const entries = await repo.allAllowlistEntries(q);
      return {
        usingDefaults: !entries.some((e) => e.user_id === null),
        defaults: defaultAllowedCidrs,
        items: entries.map((e) => ({
          id: e.id,
          cidr: e.cidr,
          userId: e.user_id,
          label: e.label,
          createdAt: e.created_at.toISOString(),
        })),
      };
    },

    async addAllowlistEntry(
      tx: Tx,
      actor: Principal,
      input: { cidr: string; userId?: string | undefined; label: string },
      ctx: RequestContext,
    ) {
      const parsed = parseCidr(input.cidr);
      if (!parsed) throw errors.invalidCidr();
      const cidr = `${parsed.address}/${parsed.prefix}`;
      const id = newId();
      await repo.insertAllowlistEntry(tx, {
        id,
        cidr,
        userId: input.userId ?? null,
        label: input.label,
        createdBy: actor.userId,
        at: clock.now(),
      });
      await audit.append(tx, {
        ...auditBase(actor, ctx),
        action: 'access.allowlist.changed',
        outcome: 'success',
        target: { type: 'allowlist_entry', id },
        // a range of more than 65,536 addresses is a weakening change (detection rule security-weakened)
        details: {
          change: 'added',
          scope: input.userId ? 'user' : 'global',
          weakened: parsed.prefix < (cidr.includes(':') ? 48 : 16),
        },
      });
      return { id, cidr };
    },

    async removeAllowlistEntry(tx: Tx, actor: Principal, id: string, ctx: RequestContext) {
      const removed = await repo.deleteAllowlistEntry(tx, id);
      if (!removed) throw errors.allowlistEntryNotFound();
      await audit.append(tx, {
        ...auditBase(actor, ctx),
        action: 'access.allowlist.changed',
        outcome: 'success',
        target: { type: 'allowlist_entry', id },
        details: { change: 'removed', scope: removed.user_id ? 'user' : 'global' },
      });
    },

    listCustomRoles: (q: Queryable) => repo.listCustomRoles(q),

    async createCustomRole(
      tx: Tx,
      actor: Principal,
      input: { name: string; description: string; permissions: string[] },
      ctx: RequestContext,
    ) {
      if (isBuiltInRole(input.name) || (await repo.customRoles(tx)).has(input.name)) throw errors.roleExists();
      for (const p of input.permissions) {
        // confidential-data access is never part of a role other than owner: it needs a two-person grant
        if (!isPermission(p) || grantablePermissions.has(p)) throw errors.permissionNotGrantable(p);
      }
      await repo.insertCustomRole(tx, { ...input, createdBy: actor.userId, at: clock.now() });
      await audit.append(tx, {
        ...auditBase(actor, ctx),
        action: 'access.role.created',
        outcome: 'success',
        target: { type: 'role', id: input.name },
        details: { permissions: input.permissions },
      });
      return { name: input.name };
    },

    async assertKnownRoles(q: Queryable, roles: readonly string[]) {
      const custom = await repo.customRoles(q);
      for (const r of roles) if (!isBuiltInRole(r) && !custom.has(r)) throw errors.unknownRole(r);
    },

    touchGrant: (q: Queryable, grantId: string) => repo.touchGrant(q, grantId, clock.now()),

    /**
     * Records that `permission` was used (IAM-12), on the roles and grants that give it; at most once a minute
     * per user and permission, so a busy user does not turn every request into a write.
     */
    async recordUse(q: Queryable, p: Principal, permission: string) {
      const key = `${p.userId}:${permission}`;
      const now = clock.now().getTime();
      if ((lastUse.get(key) ?? 0) > now - 60_000) return;
      lastUse.set(key, now);
      if (lastUse.size > 10_000) lastUse.clear();
      const custom = p.roles.some((r) => !isBuiltInRole(r)) ? await repo.customRoles(q) : new Map();
      const roles = p.roles.filter((r) => permissionsOf([r], custom).includes(permission as never));
      await repo.recordPermissionUse(q, p.userId, roles, clock.now());
      for (const g of p.grants) if (g.permission === permission) await repo.touchGrant(q, g.id, clock.now());
    },
  };
}
