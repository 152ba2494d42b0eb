/**
 * Identity use cases: first-run setup, the scripted first owner, sign-in (password, then TOTP), sessions and
 * sign-out. Controls: IAM-01 (unique accounts, no default credentials: the first owner is created only with
 * a one-time setup link or by `init`), IAM-03 (a session exists only after a second factor), IAM-04 (a new
 * session ends every other session of the user, on every node, because each request checks the session row),
 * IAM-05 groundwork (failed attempts counted; one generic answer for every failure), LOG-01 (every step
 * audited in the same transaction as its effect).
 */
import { createHmac } from 'node:crypto';
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { open, seal } from '../../platform/crypto/seal.ts';
import { type Db, isUniqueViolation, type Tx } from '../../platform/db/db.ts';
import { newId, newSecret, safeEqual, sha256 } from '../../platform/ids.ts';
import { permissionsOf } from '../access/roles.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import * as errors from './identity.errors.ts';
import * as repo from './identity.repository.ts';
import {
  assertPasswordPolicy,
  defaultPasswordPolicy,
  dummyPasswordHash,
  hashPassword,
  type PasswordPolicy,
  verifyPassword,
} from './passwords.ts';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp.ts';

export interface IdentityDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append' | 'pseudonymiseIp'>;
  sealKey: Buffer;
  sessionMacKey: Buffer;
  session: { idleTimeoutSeconds: number; absoluteTimeoutSeconds: number };
  passwordPolicy?: PasswordPolicy;
}

const SETUP_TOKEN_TTL_MS = 24 * 3600_000;
const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_MAX_ATTEMPTS = 5;
const TOUCH_INTERVAL_MS = 15_000;

export interface NewOwnerInput {
  email: string;
  name: string;
  password: string;
}

export type IdentityService = ReturnType<typeof createIdentityService>;

export function createIdentityService(deps: IdentityDeps) {
  const { db, clock, audit } = deps;
  const policy = deps.passwordPolicy ?? defaultPasswordPolicy;
  const csrfFor = (sessionToken: string) =>
    createHmac('sha256', deps.sessionMacKey).update(`csrf\0${sessionToken}`).digest('base64url');
  const addMs = (d: Date, ms: number) => new Date(d.getTime() + ms);
  const anonymous = { type: 'anonymous' as const };

  async function setupNeeded(): Promise<boolean> {
    return (await repo.countActiveOwners(db)) === 0;
  }

  /** Validates a setup token inside a transaction; refusals are audited by the caller's rollback-free path. */
  async function loadSetupToken(tx: Tx, token: string) {
    const row = await repo.lockSetupToken(tx, sha256(token));
    const now = clock.now();
    if (!row) return { row: undefined, reason: 'invalid' as const };
    if (row.consumed_at) return { row: undefined, reason: 'used' as const };
    if (row.revoked_at || row.expires_at <= now) return { row: undefined, reason: 'expired' as const };
    if ((await repo.countActiveOwners(tx)) > 0) return { row: undefined, reason: 'not_needed' as const };
    return { row, reason: undefined };
  }

  async function refuseSetup(
    reason: 'invalid' | 'expired' | 'used' | 'not_needed',
    ctx: RequestContext,
  ): Promise<never> {
    await db.transaction((tx) =>
      audit.append(tx, {
        action: 'setup.token.rejected',
        outcome: 'denied',
        actor: anonymous,
        ip: ctx.ip,
        requestId: ctx.requestId,
        details: { reason },
      }),
    );
    throw errors.setupTokenInvalid();
  }

  /** Creates an active owner with password and TOTP; runs inside the caller's transaction. */
  async function insertOwner(
    tx: Tx,
    input: NewOwnerInput & { passwordHash: string; totpSecret: string; via: 'setup' | 'init' },
    ctx: { ip?: string | undefined; requestId?: string | undefined; actorType: 'anonymous' | 'host_operator' },
  ): Promise<string> {
    const at = clock.now();
    const userId = newId();
    try {
      await repo.insertActiveUser(tx, { id: userId, email: input.email, name: input.name, at, createdBy: null });
    } catch (err) {
      if (isUniqueViolation(err)) throw errors.emailTaken();
      throw err;
    }
    await repo.insertPassword(tx, { id: newId(), userId, hash: input.passwordHash, at });
    await repo.insertTotp(tx, {
      id: newId(),
      userId,
      sealed: seal(deps.sealKey, input.totpSecret, `identity.totp:${userId}`),
      at,
    });
    await repo.assignRole(tx, { userId, role: 'owner', grantedBy: null, via: input.via, at });
    const base = {
      outcome: 'success' as const,
      ip: ctx.ip,
      requestId: ctx.requestId,
      target: { type: 'user', id: userId },
    };
    const actor = { type: ctx.actorType };
    await audit.append(tx, {
      ...base,
      actor,
      action: 'identity.user.created',
      details: { roles: ['owner'], via: input.via },
    });
    await audit.append(tx, { ...base, actor, action: 'identity.password.set', details: { via: input.via } });
    await audit.append(tx, { ...base, actor, action: 'identity.mfa.enrolled', details: { method: 'totp' } });
    return userId;
  }

  return {
    setupNeeded,

    /** At start-up, when no owner exists: a fresh one-time link; any earlier link stops working. */
    async issueSetupToken(): Promise<string | undefined> {
      if (!(await setupNeeded())) return undefined;
      const token = newSecret();
      const at = clock.now();
      await db.transaction(async (tx) => {
        await repo.revokeOpenSetupTokens(tx, at);
        await repo.insertSetupToken(tx, {
          id: newId(),
          tokenHash: sha256(token),
          at,
          expiresAt: addMs(at, SETUP_TOKEN_TTL_MS),
        });
        await audit.append(tx, {
          action: 'setup.token.issued',
          outcome: 'success',
          actor: { type: 'system' },
          details: {},
        });
      });
      return token;
    },

    async startSetup(input: { token: string; email?: string | undefined }, ctx: RequestContext) {
      const secret = newTotpSecret();
      const refused = await db.transaction(async (tx) => {
        const { row, reason } = await loadSetupToken(tx, input.token);
        if (!row) return reason;
        await repo.setSetupPendingTotp(tx, row.id, seal(deps.sealKey, secret, `identity.setup:${row.id}`));
        return undefined;
      });
      if (refused) return refuseSetup(refused, ctx);
      return { totpSecret: secret, otpauthUrl: otpauthUrl(secret, input.email?.trim() || 'owner') };
    },

    async completeSetup(
      input: NewOwnerInput & { token: string; totpCode: string },
      ctx: RequestContext,
    ): Promise<{ id: string; email: string; roles: string[] }> {
      assertPasswordPolicy(input.password, policy, input.email);
      const passwordHash = await hashPassword(input.password);
      const outcome = await db.transaction(async (tx) => {
        const { row, reason } = await loadSetupToken(tx, input.token);
        if (!row) return { refused: reason } as const;
        if (!row.pending_totp_sealed) throw errors.setupNotStarted();
        const secret = open(deps.sealKey, row.pending_totp_sealed, `identity.setup:${row.id}`).toString('utf8');
        if (matchTotp(secret, input.totpCode, clock.now()) === undefined) throw errors.setupTotpInvalid();
        const userId = await insertOwner(
          tx,
          { ...input, passwordHash, totpSecret: secret, via: 'setup' },
          { ip: ctx.ip, requestId: ctx.requestId, actorType: 'anonymous' },
        );
        await repo.consumeSetupToken(tx, row.id, clock.now());
        await audit.append(tx, {
          action: 'setup.completed',
          outcome: 'success',
          actor: { type: 'user', id: userId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: {},
        });
        return { userId } as const;
      });
      if ('refused' in outcome) return refuseSetup(outcome.refused ?? 'invalid', ctx);
      return { id: outcome.userId, email: input.email.trim(), roles: ['owner'] };
    },

    /** `strongroom init`: the first owner, created by the host operator. Refused once any account exists. */
    async createFirstOwner(input: NewOwnerInput): Promise<{ userId: string; totpSecret: string }> {
      assertPasswordPolicy(input.password, policy, input.email);
      const passwordHash = await hashPassword(input.password);
      const totpSecret = newTotpSecret();
      const userId = await db.transaction(async (tx) => {
        if ((await repo.countUsers(tx)) > 0) throw errors.alreadyInitialised();
        await repo.revokeOpenSetupTokens(tx, clock.now());
        return insertOwner(tx, { ...input, passwordHash, totpSecret, via: 'init' }, { actorType: 'host_operator' });
      });
      return { userId, totpSecret };
    },

    /** Step 1 of sign-in. Every failure gives the same answer (auth.invalid_credentials) and is audited. */
    async login(input: { email: string; password: string }, ctx: RequestContext) {
      const user = await repo.findUserByEmail(db, input.email);
      const stored = user ? await repo.currentPasswordHash(db, user.id) : undefined;
      const passwordOk = await verifyPassword(stored ?? (await dummyPasswordHash()), input.password);
      const reason = !user
        ? 'unknown_account'
        : !stored || !passwordOk
          ? 'bad_password'
          : user.status === 'locked'
            ? 'account_locked'
            : user.status !== 'active'
              ? 'account_not_active'
              : undefined;
      if (reason || !user) {
        await db.transaction(async (tx) => {
          if (user && reason === 'bad_password') await repo.recordFailedLogin(tx, user.id);
          await audit.append(tx, {
            action: 'auth.login.failed',
            outcome: 'failure',
            actor: user ? { type: 'user', id: user.id } : anonymous,
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: { reason: reason ?? 'unknown_account' },
          });
        });
        throw errors.invalidCredentials();
      }
      const challengeToken = newSecret();
      const at = clock.now();
      await db.transaction(async (tx) => {
        await repo.insertChallenge(tx, {
          id: newId(),
          tokenHash: sha256(challengeToken),
          userId: user.id,
          at,
          expiresAt: addMs(at, CHALLENGE_TTL_MS),
        });
        await audit.append(tx, {
          action: 'auth.login.password_verified',
          outcome: 'success',
          actor: { type: 'user', id: user.id },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { challengeMethods: ['totp'] },
        });
      });
      return { mfaRequired: true as const, challengeId: challengeToken, methods: ['totp' as const] };
    },

    /** Step 2: the second factor. Success creates the one live session of this user (IAM-04). */
    async verifyMfa(input: { challengeId: string; method: 'totp'; code: string }, ctx: RequestContext) {
      const sessionToken = newSecret();
      const result = await db.transaction(async (tx) => {
        const now = clock.now();
        const ch = await repo.lockChallenge(tx, sha256(input.challengeId));
        const fail = async (reason: 'bad_code' | 'code_reused' | 'challenge_expired' | 'too_many_attempts') => {
          await audit.append(tx, {
            action: 'auth.mfa.failed',
            outcome: 'failure',
            actor: ch ? { type: 'user', id: ch.user_id } : anonymous,
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: { reason },
          });
          return { failed: reason } as const;
        };
        if (!ch || ch.consumed_at || ch.expires_at <= now) return fail('challenge_expired');
        if (ch.attempts >= CHALLENGE_MAX_ATTEMPTS) return fail('too_many_attempts');
        const user = await repo.findUserById(tx, ch.user_id);
        const totp = await repo.lockTotp(tx, ch.user_id);
        if (!user || user.status !== 'active' || !totp) {
          await repo.updateChallenge(tx, ch.id, ch.attempts + 1, now);
          return fail('challenge_expired');
        }
        const secret = open(deps.sealKey, totp.secret_sealed, `identity.totp:${ch.user_id}`).toString('utf8');
        const step = matchTotp(secret, input.code, now);
        if (step === undefined || step <= Number(totp.last_used_step)) {
          const attempts = ch.attempts + 1;
          await repo.updateChallenge(tx, ch.id, attempts, attempts >= CHALLENGE_MAX_ATTEMPTS ? now : null);
          await repo.recordFailedLogin(tx, ch.user_id);
          return fail(step === undefined ? 'bad_code' : 'code_reused');
        }
        await repo.setTotpStep(tx, ch.user_id, step);
        await repo.updateChallenge(tx, ch.id, ch.attempts + 1, now);
        const ended = await repo.endLiveSessions(tx, ch.user_id, 'replaced', now);
        const sessionId = newId();
        const expiresAt = addMs(now, deps.session.absoluteTimeoutSeconds * 1000);
        const idle = addMs(now, deps.session.idleTimeoutSeconds * 1000);
        await repo.insertSession(tx, {
          id: sessionId,
          tokenHash: sha256(sessionToken),
          userId: ch.user_id,
          at: now,
          idleExpiresAt: idle < expiresAt ? idle : expiresAt,
          expiresAt,
          ipHash: audit.pseudonymiseIp(ctx.ip),
        });
        await repo.markLogin(tx, ch.user_id, now);
        const actor = { type: 'user' as const, id: ch.user_id };
        if (ended > 0) {
          await audit.append(tx, {
            action: 'auth.session.replaced',
            outcome: 'success',
            actor,
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: { endedSessions: ended },
          });
        }
        await audit.append(tx, {
          action: 'auth.login.succeeded',
          outcome: 'success',
          actor,
          target: { type: 'session', id: sessionId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { method: 'totp' },
        });
        const roles = await repo.rolesOf(tx, ch.user_id);
        return { user: { id: user.id, email: user.email, roles }, sessionId, expiresAt } as const;
      });
      if ('failed' in result) {
        throw result.failed === 'challenge_expired' || result.failed === 'too_many_attempts'
          ? errors.challengeExpired()
          : errors.mfaInvalid();
      }
      return { ...result, sessionToken, csrfToken: csrfFor(sessionToken) };
    },

    /** Resolves the session cookie to a principal, or throws the precise 401. */
    async authenticate(sessionToken: string, ctx: RequestContext): Promise<Principal> {
      const session = await repo.findSessionByTokenHash(db, sha256(sessionToken));
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
      const user = await repo.findUserById(db, session.user_id);
      if (!user || user.status !== 'active') throw errors.unauthenticated();
      let idleExpiresAt = session.idle_expires_at;
      if (now.getTime() - session.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
        const idle = addMs(now, deps.session.idleTimeoutSeconds * 1000);
        idleExpiresAt = idle < session.expires_at ? idle : session.expires_at;
        await repo.touchSession(db, session.id, now, idleExpiresAt);
      }
      const roles = await repo.rolesOf(db, user.id);
      return {
        kind: 'user',
        userId: user.id,
        sessionId: session.id,
        roles,
        permissions: permissionsOf(roles),
        mfaAt: session.mfa_at,
        csrfToken: csrfFor(sessionToken),
        sessionExpiresAt: session.expires_at,
        sessionIdleExpiresAt: idleExpiresAt,
      };
    },

    checkCsrf(principal: Principal, header: string | undefined): boolean {
      return typeof header === 'string' && header.length > 0 && safeEqual(header, principal.csrfToken);
    },

    async logout(principal: Principal, ctx: RequestContext): Promise<void> {
      await db.transaction(async (tx) => {
        if (await repo.endSession(tx, principal.sessionId, 'logout', clock.now())) {
          await audit.append(tx, {
            action: 'auth.logout',
            outcome: 'success',
            actor: { type: 'user', id: principal.userId },
            target: { type: 'session', id: principal.sessionId },
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: {},
          });
        }
      });
    },

    async me(principal: Principal) {
      const user = await repo.findUserById(db, principal.userId);
      if (!user) throw errors.unauthenticated();
      return {
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          roles: [...principal.roles],
          permissions: [...principal.permissions],
        },
        csrfToken: principal.csrfToken,
        session: {
          id: principal.sessionId,
          expiresAt: principal.sessionExpiresAt.toISOString(),
          idleExpiresAt: principal.sessionIdleExpiresAt.toISOString(),
        },
      };
    },
  };
}
