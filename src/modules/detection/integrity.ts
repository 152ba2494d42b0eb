/**
 * The audit log watched as a detection point (LOG-02, LOG-04): a heartbeat entry every few minutes, whose
 * absence for longer than a few intervals means the service was down or the log was suppressed; and a scheduled
 * verification of the chain and signed checkpoints, whose failure means tampering. Both append an event that
 * the rules turn into a response (`audit-heartbeat-missing`, `audit-verification-failed`: critical, lock-down).
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/db.ts';
import type { AuditLog, VerifyResult } from '../audit/index.ts';
import { AUDIT_ENTRIES } from './engine.ts';

export function createIntegrityWatch(deps: {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append' | 'verify'>;
  heartbeatSeconds: number;
}) {
  const { db, clock, audit } = deps;
  let lastFailure: string | null = null;

  return {
    /**
     * Appends a heartbeat, first reporting the gap when the previous one is older than three intervals (a node
     * that starts after downtime reports it on its first beat).
     */
    async beat(): Promise<{ gapSeconds: number | null }> {
      const { rows } = await db.query<{ at: Date }>(
        `SELECT max(at) AS at FROM ${AUDIT_ENTRIES} WHERE action = 'detection.audit.heartbeat'`,
      );
      const last = rows[0]?.at ? new Date(rows[0].at) : null;
      const now = clock.now();
      const gap = last ? Math.round((now.getTime() - last.getTime()) / 1000) : null;
      const missing = gap !== null && gap > deps.heartbeatSeconds * 3;
      await db.transaction(async (tx) => {
        if (missing) {
          await audit.append(tx, {
            action: 'detection.audit.heartbeat_missing',
            outcome: 'failure',
            actor: { type: 'system' },
            target: { type: 'audit_log', id: 'heartbeat' },
            details: { gapSeconds: gap, expectedSeconds: deps.heartbeatSeconds },
          });
        }
        await audit.append(tx, {
          action: 'detection.audit.heartbeat',
          outcome: 'success',
          actor: { type: 'system' },
          details: {},
        });
      });
      return { gapSeconds: missing ? gap : null };
    },

    /** Verifies the log; a failure is appended once per distinct first bad entry. */
    async verify(): Promise<VerifyResult> {
      const r = await audit.verify(db);
      if (!r.valid) {
        const key = `${r.firstBadSeq}:${r.reason}`;
        if (key !== lastFailure) {
          lastFailure = key;
          await db.transaction(async (tx) => {
            await audit.append(tx, {
              action: 'detection.audit.verify_failed',
              outcome: 'failure',
              actor: { type: 'system' },
              target: { type: 'audit_log', id: 'chain' },
              details: { firstBadSeq: String(r.firstBadSeq).slice(0, 20) },
            });
          });
        }
      } else lastFailure = null;
      return r;
    },
  };
}

export type IntegrityWatch = ReturnType<typeof createIntegrityWatch>;
