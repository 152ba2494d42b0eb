/**
 * Sign-in: password, then a second factor; step-up re-checks the second factor inside a session.
 * IAM-03 (a session exists only after MFA), IAM-04 (a new session ends every other one of the user),
 * IAM-05 (per-account progressive lockout and per-IP throttling; one generic answer for every failure, so
 * the answer never says which limit was hit), IAM-09 (privileged sessions are short; the sign-in MFA opens a
 * first elevation window), LOG-01 (every step audited in the transaction of its effect).
 */
import type { Principal, RequestContext } from '../../platform/actor.ts';
import { open } from '../../platform/crypto/seal.ts';
import type { Tx } from '../../platform/db/db.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import { newId, newSecret, sha256 } from '../../platform/ids.ts';
import { addMs, csrfFor, type IdentityDeps, minDate, sessionLifetimes } from './identity.deps.ts';
import * as errors from './identity.errors.ts';
import * as repo from './identity.repository.ts';
import type { MfaFailureReason, MfaMethod } from './mfa/index.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { matchTotp } from './totp.ts';

const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_MAX_ATTEMPTS = 5;

export type SecondFactor =
  | { method: 'totp'; code: string }
  | { method: 'sms'; code: string }
  | { method: 'recovery_code'; code: string }
  | { method: 'webauthn'; response: unknown };

type CheckResult = { ok: true } | { ok: false; reason: MfaFailureReason };

type LoginFailure =
  | 'unknown_account'
  | 'bad_password'
  | 'account_not_active'
  | 'account_locked'
  | 'not_enrolled'
  | 'throttled';

export function createSignInUseCases(deps: IdentityDeps) {
  const { db, clock, audit } = deps;
  const lockPolicy = { threshold: deps.identity.lockoutThreshold, baseMinutes: deps.identity.lockoutMinutes };
  const ipPolicy = { max: deps.identity.ipMaxFailures, windowSeconds: deps.identity.ipWindowSeconds };

  /** Counts a failure against the account (maybe locking it) and the IP, auditing the lock. */
  async function countFailure(tx: Tx, userId: string | undefined, ctx: RequestContext) {
    const now = clock.now();
    await repo.recordIpFailure(tx, audit.pseudonymiseIp(ctx.ip), now, ipPolicy);
    if (!userId) return;
    const lockedMinutes = await repo.recordFailedLogin(tx, userId, now, lockPolicy);
    if (lockedMinutes !== undefined) {
      await repo.endLiveSessions(tx, userId, 'locked', now);
      await audit.append(tx, {
        action: 'identity.account.locked',
        outcome: 'success',
        actor: { type: 'system' },
        target: { type: 'user', id: userId },
        ip: ctx.ip,
        requestId: ctx.requestId,
        details: { reason: 'failed_logins', minutes: lockedMinutes },
      });
      await deps.onAccountLocked(tx, userId, 'failed_logins', lockedMinutes);
    }
  }

  /** The TOTP check: match within ±1 step, and refuse a step already used. */
  async function checkTotp(tx: Tx, userId: string, code: string): Promise<CheckResult> {
    const totp = await repo.lockTotp(tx, userId);
    if (!totp) return { ok: false, reason: 'method_unavailable' };
    const secret = open(deps.sealKey, totp.secret_sealed, `identity.totp:${userId}`).toString('utf8');
    const step = matchTotp(secret, code, clock.now());
    if (step === undefined) return { ok: false, reason: 'bad_code' };
    if (step <= Number(totp.last_used_step)) return { ok: false, reason: 'code_reused' };
    await repo.setTotpStep(tx, userId, step);
    return { ok: true };
  }

  /** Every second factor (IAM-03) behind one check, shared by sign-in and step-up. */
  async function checkSecondFactor(
    tx: Tx,
    userId: string,
    input: SecondFactor,
    ctx: RequestContext,
  ): Promise<CheckResult> {
    switch (input.method) {
      case 'totp':
        return checkTotp(tx, userId, input.code);
      case 'webauthn': {
        const r = await deps.mfa.finishWebauthnLogin(tx, userId, input.response as never);
        return r.ok ? { ok: true } : { ok: false, reason: r.reason };
      }
      case 'sms': {
        const r = await deps.mfa.verifySmsLoginCode(tx, userId, input.code);
        return r.ok ? { ok: true } : { ok: false, reason: r.reason };
      }
      case 'recovery_code': {
        const r = await deps.mfa.consumeRecoveryCode(tx, userId, input.code);
        if (!r.ok) return { ok: false, reason: r.reason };
        await audit.append(tx, {
          action: 'auth.mfa.recovery_code_used',
          outcome: 'success',
          actor: { type: 'user', id: userId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { remaining: r.remaining },
        });
        return { ok: true };
      }
    }
  }

  /**
   * Passkey options, or an SMS code sent to the user's phone, for the user `whoIn(tx)` names (undefined: the
   * sign-in attempt is over). The SMS is delivered only after the code is committed.
   */
  async function beginFactor(
    method: 'webauthn' | 'sms',
    ctx: RequestContext,
    whoIn: (tx: Tx) => Promise<string | undefined>,
  ) {
    const out = await db.transaction(async (tx) => {
      const userId = await whoIn(tx);
      if (!userId) return { error: errors.challengeExpired() };
      if (method === 'webauthn') {
        const r = await deps.mfa.beginWebauthnLogin(tx, userId);
        return r.ok ? { options: r.options } : { error: r.error };
      }
      const r = await deps.mfa.sendSmsLoginCode(tx, userId);
      if (!r.ok) return { error: r.error };
      await audit.append(tx, {
        action: 'auth.mfa.sms_sent',
        outcome: 'success',
        actor: { type: 'user', id: userId },
        ip: ctx.ip,
        requestId: ctx.requestId,
        details: { purpose: 'login' },
      });
      return { sms: r };
    });
    if ('error' in out && out.error) throw out.error;
    if ('sms' in out && out.sms) {
      await out.sms.deliver();
      return { method: 'sms' as const, expiresAt: out.sms.expiresAt.toISOString() };
    }
    return { method: 'webauthn' as const, options: (out as { options: unknown }).options };
  }

  /** A usable, unexpired sign-in challenge, locked for this transaction. */
  async function liveChallenge(tx: Tx, challengeId: string) {
    const ch = await repo.lockChallenge(tx, sha256(challengeId));
    if (!ch || ch.consumed_at || ch.expires_at <= clock.now() || ch.attempts >= CHALLENGE_MAX_ATTEMPTS)
      return undefined;
    return ch;
  }

  return {
    async login(input: { email: string; password: string }, ctx: RequestContext) {
      const now = clock.now();
      const throttled = await repo.isIpThrottled(db, audit.pseudonymiseIp(ctx.ip), now);
      const user = await repo.findUserByEmail(db, input.email);
      const stored = user ? await repo.currentPasswordHash(db, user.id) : undefined;
      // always one argon2 verification, so timing says nothing about which check failed
      const passwordOk = await verifyPassword(stored ?? (await dummyPasswordHash()), input.password);
      let reason: LoginFailure | undefined;
      if (throttled) reason = 'throttled';
      else if (!user) reason = 'unknown_account';
      else if (user.status === 'locked' || (user.locked_until && user.locked_until > now)) reason = 'account_locked';
      else if (!stored || !passwordOk) reason = 'bad_password';
      else if (user.status !== 'active') reason = 'account_not_active';
      else if (!user.enrolled_at) reason = 'not_enrolled';
      if (reason || !user) {
        await db.transaction(async (tx) => {
          if (reason !== 'throttled') await countFailure(tx, reason === 'bad_password' ? user?.id : undefined, ctx);
          await audit.append(tx, {
            action: 'auth.login.failed',
            outcome: 'failure',
            actor: user ? { type: 'user', id: user.id } : { type: 'anonymous' },
            // the account name tried, as a keyed hash (like addresses): lets detection count accounts per IP
            target: { type: 'account_name', id: audit.pseudonymiseIp(`account:${input.email.trim().toLowerCase()}`) },
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: { reason: reason ?? 'unknown_account' },
          });
        });
        throw errors.invalidCredentials();
      }
      // IAM-14: the risk engine scores the sign-in; a deny answers like every other failure, so nothing leaks
      const challengeRowId = newId();
      const risk = await deps.risk?.assessLogin(user.id, ctx, challengeRowId);
      if (risk?.decision === 'deny') {
        await db.transaction(async (tx) => {
          await risk.recordDenied(tx);
          await audit.append(tx, {
            action: 'auth.login.failed',
            outcome: 'failure',
            actor: { type: 'user', id: user.id },
            target: { type: 'account_name', id: audit.pseudonymiseIp(`account:${input.email.trim().toLowerCase()}`) },
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: { reason: 'risk_denied' },
          });
        });
        throw errors.invalidCredentials();
      }
      const challengeToken = newSecret();
      const enrolled = await deps.mfa.listMethods(db, user.id);
      // a step-up at sign-in narrows the second factors to the strongest the user has
      const methods = risk ? await risk.narrowMethods(enrolled) : enrolled;
      await db.transaction(async (tx) => {
        await repo.insertChallenge(tx, {
          id: challengeRowId,
          tokenHash: sha256(challengeToken),
          userId: user.id,
          at: now,
          expiresAt: addMs(now, CHALLENGE_TTL_MS),
        });
        await audit.append(tx, {
          action: 'auth.login.password_verified',
          outcome: 'success',
          actor: { type: 'user', id: user.id },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { challengeMethods: methods },
        });
      });
      return { mfaRequired: true as const, challengeId: challengeToken, methods };
    },

    /** Prepares a second factor that needs a round trip: passkey options, or an SMS code sent to the phone. */
    async beginSecondFactor(input: { challengeId: string; method: 'webauthn' | 'sms' }, ctx: RequestContext) {
      return beginFactor(input.method, ctx, async (tx) => {
        const ch = await liveChallenge(tx, input.challengeId);
        // a risk step-up narrowed this sign-in's factors: no SMS is sent for a method that would be refused
        if (ch && deps.risk && !(await deps.risk.isMethodAllowed(tx, ch.id, input.method))) {
          throw errors.strongerFactorRequired();
        }
        return ch?.user_id;
      });
    },

    async verifyMfa(input: { challengeId: string } & SecondFactor, ctx: RequestContext) {
      const sessionToken = newSecret();
      const result = await db.transaction(async (tx) => {
        const now = clock.now();
        const ch = await repo.lockChallenge(tx, sha256(input.challengeId));
        const actor = ch ? { type: 'user' as const, id: ch.user_id } : { type: 'anonymous' as const };
        const method = input.method as MfaMethod;
        /** `expired`: the sign-in attempt itself is over (start again), not just this factor. */
        const fail = async (reason: MfaFailureReason, expired = false) => {
          await audit.append(tx, {
            action: 'auth.mfa.failed',
            outcome: 'failure',
            actor,
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: { reason, method },
          });
          return { failed: reason, expired } as const;
        };
        if (!ch || ch.consumed_at || ch.expires_at <= now) return fail('challenge_expired', true);
        if (ch.attempts >= CHALLENGE_MAX_ATTEMPTS) return fail('too_many_attempts', true);
        const user = await repo.findUserById(tx, ch.user_id);
        if (!user || user.status !== 'active' || (user.locked_until && user.locked_until > now)) {
          await repo.updateChallenge(tx, ch.id, ch.attempts + 1, now);
          return fail('challenge_expired', true);
        }
        if (deps.risk && !(await deps.risk.isMethodAllowed(tx, ch.id, method))) return fail('method_unavailable');
        const check = await checkSecondFactor(tx, ch.user_id, input, ctx);
        if (!check.ok) {
          const attempts = ch.attempts + 1;
          await repo.updateChallenge(tx, ch.id, attempts, attempts >= CHALLENGE_MAX_ATTEMPTS ? now : null);
          await countFailure(tx, ch.user_id, ctx);
          return fail(check.reason);
        }
        await repo.updateChallenge(tx, ch.id, ch.attempts + 1, now);
        const ended = await repo.endLiveSessions(tx, ch.user_id, 'replaced', now);
        const roles = await repo.rolesOf(tx, ch.user_id);
        const access = await deps.access.resolve(tx, ch.user_id, roles, false);
        const privileged = access.dormantPermissions.length > 0;
        const life = sessionLifetimes(deps.session, privileged);
        const expiresAt = addMs(now, life.absoluteMs);
        const elevationMs = privileged ? deps.session.signInElevationSeconds * 1000 : 0;
        const elevatedUntil = elevationMs > 0 ? minDate(addMs(now, elevationMs), expiresAt) : null;
        const sessionId = newId();
        await repo.insertSession(tx, {
          id: sessionId,
          tokenHash: sha256(sessionToken),
          userId: ch.user_id,
          at: now,
          idleExpiresAt: minDate(addMs(now, life.idleMs), expiresAt),
          expiresAt,
          ipHash: audit.pseudonymiseIp(ctx.ip),
          isPrivileged: privileged,
          elevatedUntil,
        });
        await repo.markLogin(tx, ch.user_id, now);
        await deps.risk?.onSignedIn(tx, { userId: ch.user_id, challengeId: ch.id, sessionId }, ctx);
        const base = { actor, ip: ctx.ip, requestId: ctx.requestId, outcome: 'success' as const };
        if (ended > 0)
          await audit.append(tx, { ...base, action: 'auth.session.replaced', details: { endedSessions: ended } });
        await audit.append(tx, {
          ...base,
          action: 'auth.login.succeeded',
          target: { type: 'session', id: sessionId },
          details: { method },
        });
        if (elevatedUntil) {
          await repo.insertElevation(tx, {
            id: newId(),
            userId: ch.user_id,
            sessionId,
            reason: 'sign-in with a second factor',
            via: 'sign_in',
            at: now,
            endsAt: elevatedUntil,
          });
          const minutes = Math.max(1, Math.min(60, Math.round((elevatedUntil.getTime() - now.getTime()) / 60_000)));
          await audit.append(tx, { ...base, action: 'access.elevation.started', details: { minutes, via: 'sign_in' } });
        }
        return { user: { id: user.id, email: user.email, roles }, sessionId, expiresAt } as const;
      });
      if ('failed' in result) {
        throw result.expired ? errors.challengeExpired() : errors.mfaInvalid();
      }
      return { ...result, sessionToken, csrfToken: csrfFor(deps.sessionMacKey, sessionToken) };
    },

    /** Step-up options for passkeys or SMS inside a session (same round trip as at sign-in). */
    async beginStepUp(p: Principal, method: 'webauthn' | 'sms', ctx: RequestContext) {
      try {
        return await beginFactor(method, ctx, async () => p.userId);
      } catch (err) {
        // inside a live session a missing method is a bad request, not "signed out"
        if (isAppError(err) && err.kind === 'unauthenticated') throw new AppError('validation', err.code, err.message);
        throw err;
      }
    },

    /** Step-up: a fresh second factor inside the session, required before reveals and elevation. */
    async stepUp(p: Principal, input: SecondFactor, ctx: RequestContext) {
      const method = input.method as MfaMethod;
      const outcome = await db.transaction(async (tx) => {
        const check = await checkSecondFactor(tx, p.userId, input, ctx);
        const base = { actor: { type: 'user' as const, id: p.userId }, ip: ctx.ip, requestId: ctx.requestId };
        if (!check.ok) {
          await countFailure(tx, p.userId, ctx);
          await audit.append(tx, {
            ...base,
            action: 'auth.step_up.failed',
            outcome: 'failure',
            details: { reason: check.reason, method },
          });
          return false;
        }
        await repo.setSessionMfa(tx, p.sessionId, clock.now());
        await audit.append(tx, { ...base, action: 'auth.step_up.succeeded', outcome: 'success', details: { method } });
        return true;
      });
      // inside a session a wrong code is not "signed out": 400, so clients keep the session
      if (!outcome)
        throw new AppError('validation', 'auth.mfa_invalid', 'The code or passkey was not accepted; try again.');
      return { mfaAt: clock.now().toISOString() };
    },
  };
}
