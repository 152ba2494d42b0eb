/**
 * User administration: four-eyes account approval (IAM-07), enrolment through a single-use link, lock and
 * unlock (IAM-05), offboarding now or at a departure time with everything revoked in one transaction
 * (IAM-11), role changes (IAM-02), password change with history (IAM-10). Every change is audited with it.
 */
import type { Principal, RequestContext } from '../../platform/actor.ts';
import { open, seal } from '../../platform/crypto/seal.ts';
import { isUniqueViolation, type Tx } from '../../platform/db/db.ts';
import { newId, newSecret, sha256 } from '../../platform/ids.ts';
import { addMs, type IdentityDeps } from './identity.deps.ts';
import * as errors from './identity.errors.ts';
import * as repo from './identity.repository.ts';
import {
  assertPasswordPolicy,
  hashPassword,
  isReusedPassword,
  PASSWORD_HISTORY_SIZE,
  verifyPassword,
} from './passwords.ts';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.ts';
import * as users from './users.repository.ts';

const ENROLLMENT_TTL_MS = 24 * 3600_000;

/** Who performs an admin action: a signed-in user, the host operator (CLI) or the system (jobs). */
export type Operator = { type: 'user'; principal: Principal } | { type: 'host_operator' } | { type: 'system' };

export function createUserUseCases(deps: IdentityDeps) {
  const { db, clock, audit } = deps;
  const actorOf = (op: Operator) =>
    op.type === 'user' ? { type: 'user' as const, id: op.principal.userId } : { type: op.type };
  const byId = (op: Operator) => (op.type === 'user' ? op.principal.userId : null);
  const ctxOf = (ctx?: RequestContext) => ({ ip: ctx?.ip, requestId: ctx?.requestId });

  async function loadEnrollment(tx: Tx, token: string) {
    const row = await users.lockEnrollmentToken(tx, sha256(token));
    if (!row || row.consumed_at || row.revoked_at || row.expires_at <= clock.now())
      throw errors.enrollmentTokenInvalid();
    const user = await repo.findUserById(tx, row.user_id);
    if (!user || user.status !== 'active' || user.enrolled_at) throw errors.enrollmentTokenInvalid();
    return { row, user };
  }

  /** Revokes everything a person can use, in the caller's transaction (IAM-11). */
  async function revokeAllAccess(tx: Tx, userId: string, by: string | null, at: Date) {
    const endedSessions = await repo.endLiveSessions(tx, userId, 'offboarded', at);
    const revokedGrants = await deps.access.revokeAllGrantsOf(tx, userId, by);
    const revokedTokens = await users.revokeServiceTokensOf(tx, userId, at);
    await users.removeAllRoles(tx, userId);
    await users.revokeEnrollmentTokens(tx, userId, at);
    return { endedSessions, revokedGrants, revokedTokens };
  }

  async function offboardNow(tx: Tx, op: Operator, userId: string, ctx?: RequestContext) {
    const u = await users.lockUser(tx, userId);
    if (!u || u.status === 'offboarded') throw errors.userNotFound();
    const now = clock.now();
    const counts = await revokeAllAccess(tx, userId, byId(op), now);
    await users.setStatus(tx, userId, 'offboarded', {
      offboarded_at: now,
      offboarded_by: byId(op),
      access_revoked_at: now,
    });
    const after = u.departure_at ? Math.round((now.getTime() - u.departure_at.getTime()) / 1000) : null;
    await audit.append(tx, {
      action: 'identity.user.offboarded',
      outcome: 'success',
      actor: actorOf(op),
      target: { type: 'user', id: userId },
      ...ctxOf(ctx),
      details: { scheduled: u.departure_at !== null, ...counts, secondsAfterDeparture: after },
    });
    return { id: userId, status: 'offboarded' as const, revokedAt: now.toISOString(), ...counts };
  }

  return {
    revokeAllAccess,

    async createUser(p: Principal, input: { email: string; name: string; roles: string[] }, ctx: RequestContext) {
      const roles = [...new Set(input.roles)];
      await deps.access.assertKnownRoles(db, roles);
      if (roles.includes('owner') && !p.roles.includes('owner')) throw errors.roleNotAssignable();
      const id = newId();
      const at = clock.now();
      await db.transaction(async (tx) => {
        try {
          await users.insertPendingUser(tx, { id, email: input.email, name: input.name, at, createdBy: p.userId });
        } catch (err) {
          if (isUniqueViolation(err)) throw errors.emailTaken();
          throw err;
        }
        for (const role of roles)
          await repo.assignRole(tx, { userId: id, role, grantedBy: p.userId, via: 'approval', at });
        await audit.append(tx, {
          action: 'identity.user.created',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'user', id },
          ...ctxOf(ctx),
          details: { roles, via: 'admin' },
        });
      });
      return { id, status: 'pending_approval' as const };
    },

    /** Four-eyes (IAM-07): never by the creator; an owner account only by an owner; host operator only to bootstrap. */
    async approveUser(op: Operator, userId: string, ctx?: RequestContext) {
      return db.transaction(async (tx) => {
        const u = await users.lockUser(tx, userId);
        if (!u) throw errors.userNotFound();
        if (u.status !== 'pending_approval') throw errors.userNotPending();
        const roles = await repo.rolesOf(tx, userId);
        if (op.type === 'user') {
          if (u.created_by === op.principal.userId) throw errors.selfApproval();
          if (roles.includes('owner') && !op.principal.roles.includes('owner')) throw errors.approvalNotAllowed();
        } else if ((await repo.countActiveOwners(tx)) >= 2) {
          throw errors.bootstrapClosed();
        }
        const now = clock.now();
        await users.setStatus(tx, userId, 'active', { approved_by: byId(op), approved_at: now, activated_at: now });
        await audit.append(tx, {
          action: 'identity.user.approved',
          outcome: 'success',
          actor: actorOf(op),
          target: { type: 'user', id: userId },
          ...ctxOf(ctx),
          details: { via: op.type === 'user' ? 'admin' : 'host_operator' },
        });
        return { id: userId, status: 'active' as const };
      });
    },

    async rejectUser(p: Principal, userId: string, ctx: RequestContext) {
      return db.transaction(async (tx) => {
        const u = await users.lockUser(tx, userId);
        if (!u) throw errors.userNotFound();
        if (u.status !== 'pending_approval') throw errors.userNotPending();
        if (u.created_by === p.userId) throw errors.selfApproval();
        await users.setStatus(tx, userId, 'disabled');
        await audit.append(tx, {
          action: 'identity.user.rejected',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'user', id: userId },
          ...ctxOf(ctx),
          details: {},
        });
        return { id: userId, status: 'disabled' as const };
      });
    },

    async createEnrollmentLink(p: Principal, userId: string, ctx: RequestContext) {
      const token = newSecret();
      const now = clock.now();
      const expiresAt = addMs(now, ENROLLMENT_TTL_MS);
      await db.transaction(async (tx) => {
        const u = await users.lockUser(tx, userId);
        if (!u) throw errors.userNotFound();
        if (u.status === 'pending_approval') throw errors.notApproved();
        if (u.status !== 'active') throw errors.userStateConflict('Only an active account can enrol.');
        if (u.enrolled_at) throw errors.alreadyEnrolled();
        await users.revokeEnrollmentTokens(tx, userId, now);
        await users.insertEnrollmentToken(tx, {
          id: newId(),
          tokenHash: sha256(token),
          userId,
          createdBy: p.userId,
          at: now,
          expiresAt,
        });
        await audit.append(tx, {
          action: 'identity.enrollment.link_created',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'user', id: userId },
          ...ctxOf(ctx),
          details: {},
        });
      });
      return { token, url: `${deps.publicUrl}/enroll#token=${token}`, expiresAt: expiresAt.toISOString() };
    },

    async startEnrollment(input: { token: string }) {
      const secret = newTotpSecret();
      const email = await db.transaction(async (tx) => {
        const { row, user } = await loadEnrollment(tx, input.token);
        await users.setEnrollmentPendingTotp(tx, row.id, seal(deps.sealKey, secret, `identity.enrollment:${row.id}`));
        return user.email;
      });
      return { totpSecret: secret, otpauthUrl: otpauthUrl(secret, email) };
    },

    async completeEnrollment(input: { token: string; password: string; totpCode: string }, ctx: RequestContext) {
      // validate the link before the (slow) hash so a bad link answers at once
      const pre = await db.transaction(async (tx) => (await loadEnrollment(tx, input.token)).user);
      assertPasswordPolicy(input.password, deps.passwordPolicy, pre.email);
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const { row, user } = await loadEnrollment(tx, input.token);
        if (!row.pending_totp_sealed) throw errors.enrollmentNotStarted();
        const secret = open(deps.sealKey, row.pending_totp_sealed, `identity.enrollment:${row.id}`).toString('utf8');
        const step = matchTotp(secret, input.totpCode, clock.now());
        if (step === undefined) throw errors.enrollmentTotpInvalid();
        const now = clock.now();
        await repo.insertPassword(tx, { id: newId(), userId: user.id, hash: passwordHash, at: now });
        await repo.insertTotp(tx, {
          id: newId(),
          userId: user.id,
          sealed: seal(deps.sealKey, secret, `identity.totp:${user.id}`),
          at: now,
        });
        await repo.setTotpStep(tx, user.id, step);
        await users.markEnrolled(tx, user.id, now);
        await users.consumeEnrollmentToken(tx, row.id, now);
        const base = {
          outcome: 'success' as const,
          actor: { type: 'user' as const, id: user.id },
          target: { type: 'user', id: user.id },
          ...ctxOf(ctx),
        };
        await audit.append(tx, { ...base, action: 'identity.password.set', details: { via: 'enrolment' } });
        await audit.append(tx, { ...base, action: 'identity.mfa.enrolled', details: { method: 'totp' } });
        await audit.append(tx, { ...base, action: 'identity.enrollment.completed', details: { method: 'totp' } });
        return { user: { id: user.id, email: user.email } };
      });
    },

    async lockUser(p: Principal, userId: string, ctx: RequestContext) {
      return db.transaction(async (tx) => {
        const u = await users.lockUser(tx, userId);
        if (!u || u.status === 'offboarded') throw errors.userNotFound();
        if (u.status !== 'active') throw errors.userStateConflict('Only an active account can be locked.');
        await users.setStatus(tx, userId, 'locked', { lock_reason: 'admin' });
        await repo.endLiveSessions(tx, userId, 'locked', clock.now());
        await audit.append(tx, {
          action: 'identity.account.locked',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'user', id: userId },
          ...ctxOf(ctx),
          details: { reason: 'admin' },
        });
        await deps.onAccountLocked(tx, userId, 'admin', null);
        return { id: userId, status: 'locked' as const };
      });
    },

    /** Detection response (LOG-05): lock now and end every session, in the caller's transaction. */
    async lockForDetection(tx: Tx, userId: string, ctx?: RequestContext) {
      const u = await users.lockUser(tx, userId);
      if (!u || u.status !== 'active') return;
      await users.setStatus(tx, userId, 'locked', { lock_reason: 'detection' });
      await repo.endLiveSessions(tx, userId, 'locked', clock.now());
      await audit.append(tx, {
        action: 'identity.account.locked',
        outcome: 'success',
        actor: { type: 'system' },
        target: { type: 'user', id: userId },
        ...ctxOf(ctx),
        details: { reason: 'detection' },
      });
      await deps.onAccountLocked(tx, userId, 'detection', null);
    },

    /** Detection response: end every live session of the user (they sign in again, with MFA). */
    async endSessionsForDetection(tx: Tx, userId: string, ctx?: RequestContext): Promise<number> {
      const ended = await repo.endLiveSessions(tx, userId, 'revoked', clock.now());
      if (ended > 0) {
        await audit.append(tx, {
          action: 'auth.session.revoked',
          outcome: 'success',
          actor: { type: 'system' },
          target: { type: 'user', id: userId },
          ...ctxOf(ctx),
          details: { by: 'system' },
        });
      }
      return ended;
    },

    /**
     * Detection response: the user's live sessions must prove a second factor again before the next
     * confidential action (their step-up time is moved back past any freshness window).
     */
    async requireStepUpForDetection(tx: Tx, userId: string): Promise<number> {
      const res = await tx.query(
        `UPDATE identity.sessions SET mfa_at = created_at - interval '1 day' WHERE user_id = $1 AND ended_at IS NULL`,
        [userId],
      );
      return res.rowCount;
    },

    async unlockUser(p: Principal, userId: string, ctx: RequestContext) {
      return db.transaction(async (tx) => {
        const u = await users.lockUser(tx, userId);
        if (!u || u.status === 'offboarded') throw errors.userNotFound();
        const temporarilyLocked = u.locked_until !== null && u.locked_until > clock.now();
        if (u.status !== 'locked' && !temporarilyLocked) throw errors.userStateConflict('This account is not locked.');
        await users.setStatus(tx, userId, 'active', {
          lock_reason: null,
          locked_until: null,
          failed_login_count: 0,
          lockout_level: 0,
        });
        await audit.append(tx, {
          action: 'identity.account.unlocked',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'user', id: userId },
          ...ctxOf(ctx),
          details: { via: 'admin' },
        });
        return { id: userId, status: 'active' as const };
      });
    },

    /** IAM-11: now (everything revoked in this one transaction) or at a departure time (the job does it). */
    async offboard(op: Operator, userId: string, input: { at?: string | undefined }, ctx?: RequestContext) {
      const at = input.at ? new Date(input.at) : undefined;
      if (at && at > clock.now()) {
        return db.transaction(async (tx) => {
          const u = await users.lockUser(tx, userId);
          if (!u || u.status === 'offboarded') throw errors.userNotFound();
          await users.setDeparture(tx, userId, at);
          await audit.append(tx, {
            action: 'identity.offboarding.scheduled',
            outcome: 'success',
            actor: actorOf(op),
            target: { type: 'user', id: userId },
            ...ctxOf(ctx),
            details: {},
          });
          return { id: userId, status: u.status, departureAt: at.toISOString() };
        });
      }
      return db.transaction((tx) => offboardNow(tx, op, userId, ctx));
    },

    offboardNow: (tx: Tx, userId: string) => offboardNow(tx, { type: 'system' }, userId),

    /** Cancels a planned departure (the account keeps its access). */
    async cancelDeparture(p: Principal, userId: string, ctx: RequestContext) {
      return db.transaction(async (tx) => {
        const u = await users.lockUser(tx, userId);
        if (!u || u.status === 'offboarded') throw errors.userNotFound();
        if (!u.departure_at) throw errors.userStateConflict('No departure is planned for this account.');
        await users.setDeparture(tx, userId, null);
        await audit.append(tx, {
          action: 'identity.offboarding.cancelled',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'user', id: userId },
          ...ctxOf(ctx),
          details: {},
        });
        return { id: userId, status: u.status, departureAt: null };
      });
    },

    async changeRoles(p: Principal, userId: string, input: { add: string[]; remove: string[] }, ctx: RequestContext) {
      await deps.access.assertKnownRoles(db, input.add);
      if ((input.add.includes('owner') || input.remove.includes('owner')) && !p.roles.includes('owner')) {
        throw errors.roleNotAssignable();
      }
      return db.transaction(async (tx) => {
        const u = await users.lockUser(tx, userId);
        if (!u || u.status === 'offboarded') throw errors.userNotFound();
        const current = await repo.rolesOf(tx, userId);
        const added = input.add.filter((r) => !current.includes(r));
        const removed = input.remove.filter((r) => current.includes(r));
        const at = clock.now();
        for (const role of added) await repo.assignRole(tx, { userId, role, grantedBy: p.userId, via: 'admin', at });
        for (const role of removed) await users.removeRole(tx, userId, role);
        // a role change ends the user's sessions so new rights apply from a fresh sign-in (IAM-11)
        if (removed.length) await repo.endLiveSessions(tx, userId, 'revoked', at);
        await audit.append(tx, {
          action: 'identity.roles.changed',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'user', id: userId },
          ...ctxOf(ctx),
          details: { added, removed },
        });
        return { id: userId, roles: await repo.rolesOf(tx, userId) };
      });
    },

    async changePassword(p: Principal, input: { currentPassword: string; newPassword: string }, ctx: RequestContext) {
      const user = await repo.findUserById(db, p.userId);
      if (!user) throw errors.userNotFound();
      const history = await repo.recentPasswordHashes(db, p.userId, PASSWORD_HISTORY_SIZE);
      if (!history[0] || !(await verifyPassword(history[0], input.currentPassword)))
        throw errors.currentPasswordWrong();
      assertPasswordPolicy(input.newPassword, deps.passwordPolicy, user.email);
      if (await isReusedPassword(history, input.newPassword)) throw errors.passwordReused();
      const hash = await hashPassword(input.newPassword);
      await db.transaction(async (tx) => {
        const at = clock.now();
        await repo.insertPassword(tx, { id: newId(), userId: p.userId, hash, at });
        await tx.query('UPDATE identity.users SET password_changed_at = $2 WHERE id = $1', [p.userId, at]);
        await audit.append(tx, {
          action: 'identity.password.set',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'user', id: p.userId },
          ...ctxOf(ctx),
          details: { via: 'change' },
        });
      });
    },
  };
}
