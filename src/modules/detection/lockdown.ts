/**
 * Application lock-down (INC-03): while engaged, confidential-data access (reveal) is off for everyone but
 * incident responders (holders of `incidents.manage`). A security analyst or a rule engages it at once; lifting
 * takes two different top-level admins (`owner`): the first asks, the second lifts. State lives in PostgreSQL
 * and is read on every reveal, so every node applies it on the next request.
 */
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditLog } from '../audit/index.ts';

interface LockdownRow {
  id: string;
  engaged_at: Date;
  engaged_by: string | null;
  engaged_by_rule: string | null;
  reason: 'manual' | 'rule';
  alert_id: string | null;
  lift_requested_by: string | null;
  lift_requested_at: Date | null;
  lifted_by: string | null;
  lifted_at: Date | null;
}

const view = (r: LockdownRow | undefined) =>
  r
    ? {
        active: r.lifted_at === null,
        id: r.id,
        engagedAt: r.engaged_at.toISOString(),
        engagedBy: r.engaged_by,
        engagedByRule: r.engaged_by_rule,
        reason: r.reason,
        alertId: r.alert_id,
        liftRequestedBy: r.lift_requested_by,
        liftRequestedAt: r.lift_requested_at?.toISOString() ?? null,
        liftedBy: r.lifted_by,
        liftedAt: r.lifted_at?.toISOString() ?? null,
      }
    : null;

export type LockdownView = NonNullable<ReturnType<typeof view>>;

const COLUMNS =
  'id, engaged_at, engaged_by, engaged_by_rule, reason, alert_id, lift_requested_by, lift_requested_at, lifted_by, lifted_at';

export function createLockdown(deps: { db: Db; clock: Clock; audit: Pick<AuditLog, 'append'> }) {
  const { db, clock, audit } = deps;

  async function active(q: Queryable): Promise<LockdownRow | undefined> {
    const { rows } = await q.query<LockdownRow>(
      `SELECT ${COLUMNS} FROM detection.lockdowns WHERE lifted_at IS NULL LIMIT 1`,
    );
    return rows[0];
  }

  /** Engages in the caller's transaction; a lock-down already in force is kept (returns false). */
  async function engageIn(
    tx: Tx,
    by: { userId: string } | { rule: string; alertId: string },
    ctx: Partial<RequestContext>,
  ): Promise<boolean> {
    const inserted = await tx.query(
      `INSERT INTO detection.lockdowns (id, engaged_at, engaged_by, engaged_by_rule, reason, alert_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [
        newId(),
        clock.now(),
        'userId' in by ? by.userId : null,
        'rule' in by ? by.rule : null,
        'rule' in by ? 'rule' : 'manual',
        'rule' in by ? by.alertId : null,
      ],
    );
    if (inserted.rowCount === 0) return false;
    await audit.append(tx, {
      action: 'detection.lockdown.engaged',
      outcome: 'success',
      actor: 'userId' in by ? { type: 'user', id: by.userId } : { type: 'system' },
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: { via: 'rule' in by ? 'rule' : 'manual', rule: 'rule' in by ? by.rule : null },
    });
    return true;
  }

  return {
    engageIn,
    async status(): Promise<LockdownView | { active: false }> {
      const current = await active(db);
      const last =
        current ??
        (await db.query<LockdownRow>(`SELECT ${COLUMNS} FROM detection.lockdowns ORDER BY engaged_at DESC LIMIT 1`))
          .rows[0];
      return view(last) ?? { active: false };
    },
    async history(limit = 50) {
      const { rows } = await db.query<LockdownRow>(
        `SELECT ${COLUMNS} FROM detection.lockdowns ORDER BY engaged_at DESC LIMIT $1`,
        [limit],
      );
      return rows.map((r) => view(r) as LockdownView);
    },
    /**
     * True while engaged, for everyone who is not an incident responder: a holder of `incidents.manage` who is
     * not a top-level admin (owners hold every permission, and a lock-down closes the data to them too).
     */
    async isLockedDownFor(q: Queryable, p: Pick<Principal, 'permissions' | 'roles'> | null): Promise<boolean> {
      if (p?.permissions.includes('incidents.manage') && !p.roles.includes('owner')) return false;
      return (await active(q)) !== undefined;
    },
    async engage(p: Principal, ctx: RequestContext) {
      await db.transaction(async (tx) => {
        if (!(await engageIn(tx, { userId: p.userId }, ctx)))
          throw new AppError('conflict', 'lockdown.already_active', 'The application is already locked down.');
      });
      return this.status();
    },
    /**
     * Two top-level admins lift it: the first call records the request, a second call by a different owner
     * lifts. The same owner asking twice gets 403 lockdown.second_admin_required.
     */
    async lift(p: Principal, ctx: RequestContext) {
      if (!p.roles.includes('owner'))
        throw new AppError('forbidden', 'lockdown.owner_required', 'Only a top-level admin can lift a lock-down.');
      await db.transaction(async (tx) => {
        const { rows } = await tx.query<LockdownRow>(
          `SELECT ${COLUMNS} FROM detection.lockdowns WHERE lifted_at IS NULL FOR UPDATE`,
        );
        const row = rows[0];
        if (!row) throw new AppError('conflict', 'lockdown.not_active', 'The application is not locked down.');
        const now = clock.now();
        if (!row.lift_requested_by) {
          await tx.query(
            'UPDATE detection.lockdowns SET lift_requested_by = $2, lift_requested_at = $3 WHERE id = $1',
            [row.id, p.userId, now],
          );
          await audit.append(tx, {
            action: 'detection.lockdown.lift_requested',
            outcome: 'success',
            actor: { type: 'user', id: p.userId },
            ip: ctx.ip,
            requestId: ctx.requestId,
            details: {},
          });
          return;
        }
        if (row.lift_requested_by === p.userId)
          throw new AppError(
            'forbidden',
            'lockdown.second_admin_required',
            'Another top-level admin must confirm lifting the lock-down.',
          );
        await tx.query('UPDATE detection.lockdowns SET lifted_by = $2, lifted_at = $3 WHERE id = $1', [
          row.id,
          p.userId,
          now,
        ]);
        await audit.append(tx, {
          action: 'detection.lockdown.lifted',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { requestedBy: row.lift_requested_by, weakened: true },
        });
      });
      return this.status();
    },
  };
}

export type Lockdown = ReturnType<typeof createLockdown>;
