/**
 * Scheduled identity jobs. IAM-06: accounts unused for 30 days (configurable) are locked. IAM-11: a scheduled
 * departure revokes all access when its time comes; if that happens more than 4 hours late (the job or the
 * server was down), an `identity.offboarding.overdue` event records it for detection to alert on.
 */
import type { IdentityDeps } from './identity.deps.ts';
import * as repo from './identity.repository.ts';
import * as users from './users.repository.ts';
import type { createUserUseCases } from './users.service.ts';

const REVOKE_DEADLINE_MS = 4 * 3600_000;

export function createLifecycleJobs(deps: IdentityDeps, userCases: ReturnType<typeof createUserUseCases>) {
  const { db, clock, audit } = deps;
  return {
    /** Locks active accounts with no sign-in or activity for `inactivityLockDays`. Returns how many. */
    async lockInactiveAccounts(): Promise<number> {
      const now = clock.now();
      const cutoff = new Date(now.getTime() - deps.identity.inactivityLockDays * 86_400_000);
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM identity.users
          WHERE status = 'active' AND coalesce(last_activity_at, last_login_at, activated_at, created_at) < $1`,
        [cutoff],
      );
      let locked = 0;
      for (const { id } of rows) {
        await db.transaction(async (tx) => {
          const u = await users.lockUser(tx, id);
          if (u?.status !== 'active') return;
          await users.setStatus(tx, id, 'locked', { lock_reason: 'inactivity' });
          await repo.endLiveSessions(tx, id, 'locked', now);
          await audit.append(tx, {
            action: 'identity.account.locked',
            outcome: 'success',
            actor: { type: 'system' },
            target: { type: 'user', id },
            details: { reason: 'inactivity' },
          });
          await deps.onAccountLocked(tx, id, 'inactivity', null);
          locked++;
        });
      }
      return locked;
    },

    /** Offboards every account whose departure time has passed. Returns how many. */
    async processDepartures(): Promise<number> {
      const now = clock.now();
      const { rows } = await db.query<{ id: string; departure_at: Date }>(
        `SELECT id, departure_at FROM identity.users
          WHERE departure_at IS NOT NULL AND departure_at <= $1 AND offboarded_at IS NULL`,
        [now],
      );
      for (const { id, departure_at } of rows) {
        await db.transaction(async (tx) => {
          const late = now.getTime() - departure_at.getTime();
          await userCases.offboardNow(tx, id);
          if (late > REVOKE_DEADLINE_MS) {
            await audit.append(tx, {
              action: 'identity.offboarding.overdue',
              outcome: 'failure',
              actor: { type: 'system' },
              target: { type: 'user', id },
              details: { secondsOverdue: Math.round((late - REVOKE_DEADLINE_MS) / 1000) },
            });
          }
        });
      }
      return rows.length;
    },
  };
}
