/**
 * Sessions: resolving the cookie to a principal on every request (so an ended session stops working on every
 * node at once: IAM-04), idle and absolute timeouts (shorter when privileged: IAM-09), elevation windows with
 * a reason and a fresh second factor (IAM-09; the session token rotates on elevation), and the user's own
 * list of sessions.
 */
import type { Principal, RequestContext } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { newId, newSecret, safeEqual, sha256 } from '../../platform/ids.ts';
import { resolveLoaded } from '../access/index.ts';
import { addMs, csrfFor, type IdentityDeps, minDate, sessionLifetimes } from './identity.deps.ts';
import * as errors from './identity.errors.ts';
import * as repo from './identity.repository.ts';

const TOUCH_INTERVAL_MS = 15_000;
export const MAX_ELEVATION_MINUTES = 60;

export function createSessionUseCases(deps: IdentityDeps) {
  const { db, clock, audit } = deps;
  const userActor = (p: Principal) => ({ type: 'user' as const, id: p.userId });

  /** Ends one session of `userId` (refused as not found when it is not theirs), audited with who did it. */
  async function endSessionOf(
    actor: Principal,
    userId: string,
    sessionId: string,
    by: 'self' | 'admin',
    ctx: RequestContext,
  ) {
    const ok = await db.transaction(async (tx) => {
      const rows = await repo.sessionsOf(tx, userId, 100);
      if (!rows.some((s) => s.id === sessionId)) return false;
      if (await repo.endSession(tx, sessionId, 'revoked', clock.now())) {
        await audit.append(tx, {
          action: 'auth.session.revoked',
          outcome: 'success',
          actor: userActor(actor),
          target: { type: 'session', id: sessionId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { by },
        });
      }
      return true;
    });
    if (!ok) throw new AppError('not_found', 'sessions.not_found', 'There is no such session.');
  }

  return {
    async authenticate(sessionToken: string, ctx: RequestContext): Promise<Principal> {
      const session = await repo.findAuthContextByTokenHash(db, sha256(sessionToken), clock.now());
      if (!session) throw errors.unauthenticated();
      if (session.ended_at) {
        if (session.end_reason === 'replaced') throw errors.sessionReplaced();
        if (session.end_reason === 'expired') throw errors.sessionExpired();
        throw errors.unauthenticated();
      }
      const now = clock.now();
      if (session.expires_at <= now || session.idle_expires_at <= now) {
        const reason = session.expires_at <= now ? 'absolute' : 'idle';
        await db.transaction(async (tx) => {
          if (await repo.endSession(tx, session.id, 'expired', now)) {
            await audit.append(tx, {
              action: 'auth.session.expired',
              outcome: 'success',
              actor: { type: 'user', id: session.user_id },
              target: { type: 'session', id: session.id },
              ip: ctx.ip,
              requestId: ctx.requestId,
              details: { reason },
            });
          }
        });
        throw errors.sessionExpired();
      }
      if (session.user_status !== 'active' || (session.user_locked_until && session.user_locked_until > now)) {
        throw errors.unauthenticated();
      }
      let idleExpiresAt = session.idle_expires_at;
      // the UI's background polling keeps data fresh but is not a person's activity: no idle extension
      if (!ctx.background && now.getTime() - session.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
        const life = sessionLifetimes(deps.session, session.is_privileged);
        idleExpiresAt = minDate(addMs(now, life.idleMs), session.expires_at);
        await repo.touchSessionAndUser(db, { id: session.id, userId: session.user_id, at: now, idleExpiresAt });
      }
      const elevatedUntil = session.elevated_until && session.elevated_until > now ? session.elevated_until : null;
      const roles = session.roles;
      const access = resolveLoaded({
        roles,
        customRoles: new Map(Object.entries(session.custom_roles ?? {})),
        grants: session.grants,
        elevated: elevatedUntil !== null,
      });
      return {
        kind: 'user',
        userId: session.user_id,
        sessionId: session.id,
        roles,
        permissions: access.permissions,
        dormantPermissions: access.dormantPermissions,
        grants: access.grants,
        mfaAt: session.mfa_at,
        elevatedUntil,
        csrfToken: csrfFor(deps.sessionMacKey, sessionToken),
        sessionExpiresAt: session.expires_at,
        sessionIdleExpiresAt: idleExpiresAt,
      };
    },

    checkCsrf(principal: Principal, header: string | undefined): boolean {
      return typeof header === 'string' && header.length > 0 && safeEqual(header, principal.csrfToken);
    },

    async logout(p: Principal, ctx: RequestContext): Promise<void> {
      await db.transaction(async (tx) => {
        if (await repo.endSession(tx, p.sessionId, 'logout', clock.now())) {
          await audit.append(tx, {
            action: 'auth.logout',
            outcome: 'success',
            actor: userActor(p),
            target: { type: 'session', id: p.sessionId },
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: {},
          });
        }
      });
    },

    async me(p: Principal) {
      const user = await repo.findUserById(db, p.userId);
      if (!user) throw errors.unauthenticated();
      return {
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          roles: [...p.roles],
          permissions: [...p.permissions],
          dormantPermissions: [...p.dormantPermissions],
          mfaMethods: await deps.mfa.listMethods(db, p.userId),
          grants: p.grants.map((g) => ({ ...g })),
        },
        csrfToken: p.csrfToken,
        session: {
          id: p.sessionId,
          expiresAt: p.sessionExpiresAt.toISOString(),
          idleExpiresAt: p.sessionIdleExpiresAt.toISOString(),
          elevatedUntil: p.elevatedUntil?.toISOString() ?? null,
          mfaAt: p.mfaAt.toISOString(),
          stepUpValidUntil: new Date(p.mfaAt.getTime() + deps.session.stepUpMaxAgeSeconds * 1000).toISOString(),
        },
      };
    },

    /** JIT elevation (IAM-09): a reason, a recent second factor, at most 60 minutes; the token rotates. */
    async elevate(p: Principal, input: { reason: string; minutes: number }, ctx: RequestContext) {
      if (!p.dormantPermissions.length && !p.elevatedUntil) {
        throw new AppError('forbidden', 'access.nothing_to_elevate', 'You hold no privileged permission to elevate.');
      }
      const now = clock.now();
      if (now.getTime() - p.mfaAt.getTime() > deps.session.stepUpMaxAgeSeconds * 1000) {
        throw new AppError(
          'forbidden',
          'auth.step_up_required',
          'Confirm with your authentication code first (step-up), then elevate.',
        );
      }
      const minutes = Math.min(Math.max(1, Math.floor(input.minutes)), MAX_ELEVATION_MINUTES);
      const token = newSecret();
      const until = addMs(now, minutes * 60_000);
      await db.transaction(async (tx) => {
        await repo.endElevations(tx, p.sessionId, now);
        await repo.rotateSessionToken(tx, p.sessionId, sha256(token));
        await repo.setElevation(tx, p.sessionId, until);
        await repo.insertElevation(tx, {
          id: newId(),
          userId: p.userId,
          sessionId: p.sessionId,
          reason: input.reason,
          via: 'explicit',
          at: now,
          endsAt: until,
        });
        await audit.append(tx, {
          action: 'access.elevation.started',
          outcome: 'success',
          actor: userActor(p),
          target: { type: 'session', id: p.sessionId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { minutes, via: 'explicit' },
        });
      });
      return { sessionToken: token, csrfToken: csrfFor(deps.sessionMacKey, token), elevatedUntil: until.toISOString() };
    },

    async dropElevation(p: Principal, ctx: RequestContext) {
      await db.transaction(async (tx) => {
        await repo.setElevation(tx, p.sessionId, null);
        await repo.endElevations(tx, p.sessionId, clock.now());
        await audit.append(tx, {
          action: 'access.elevation.ended',
          outcome: 'success',
          actor: userActor(p),
          target: { type: 'session', id: p.sessionId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { via: 'user' },
        });
      });
    },

    async listSessions(userId: string, currentSessionId?: string) {
      const rows = await repo.sessionsOf(db, userId, 20);
      return rows.map((s) => ({
        id: s.id,
        current: s.id === currentSessionId,
        createdAt: s.created_at.toISOString(),
        lastSeenAt: s.last_seen_at.toISOString(),
        expiresAt: s.expires_at.toISOString(),
        endedAt: s.ended_at?.toISOString() ?? null,
        endReason: s.end_reason,
        elevatedUntil: s.elevated_until?.toISOString() ?? null,
        ipHash: s.ip_hash,
      }));
    },

    /** An admin ends one session of another person (users.manage). */
    endUserSession: (admin: Principal, userId: string, sessionId: string, ctx: RequestContext) =>
      endSessionOf(admin, userId, sessionId, 'admin', ctx),

    endOwnSession: (p: Principal, sessionId: string, ctx: RequestContext) =>
      endSessionOf(p, p.userId, sessionId, 'self', ctx),
  };
}
