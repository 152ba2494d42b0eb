/**
 * Alerts (LOG-06): open → acknowledged → resolved with a review note (required, sealed: it is free text). No
 * personal data in an alert: subjects are user ids or IP hashes. Open alerts are re-sent to the on-call roles
 * until someone acknowledges them.
 */
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { seal } from '../../platform/crypto/seal.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditLog } from '../audit/index.ts';
import type { RuleStore } from './rule-store.ts';
import type { Rule } from './rules.ts';

interface AlertRow {
  id: string;
  rule: string;
  rule_version: number;
  severity: string;
  status: string;
  subject_type: string;
  subject_id: string;
  created_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  notified_times: number;
  checkpoint: string | null;
  responses: string[];
  details: { observed?: number; limit?: number; basis?: string; actorId?: string | null; ipHash?: string | null };
}

const view = (a: AlertRow) => ({
  id: a.id,
  rule: a.rule,
  ruleVersion: a.rule_version,
  severity: a.severity,
  status: a.status,
  subject: { type: a.subject_type, id: a.subject_id },
  createdAt: a.created_at.toISOString(),
  acknowledgedAt: a.acknowledged_at?.toISOString() ?? null,
  acknowledgedBy: a.acknowledged_by,
  resolvedAt: a.resolved_at?.toISOString() ?? null,
  resolvedBy: a.resolved_by,
  notifiedTimes: a.notified_times,
  checkpoint: a.checkpoint,
  responses: a.responses,
  explanation: a.details.basis ?? null,
});

const notFound = () => new AppError('not_found', 'alerts.not_found', 'There is no such alert.');

export function createAlerts(deps: {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append'>;
  sealKey: Buffer;
  rules: Pick<RuleStore, 'rules'>;
  enqueue(tx: Tx, alert: { id: string; rule: Rule; repeat: number }): Promise<void>;
  repeatMinutes: number;
}) {
  const { db, clock, audit } = deps;
  const COLUMNS =
    'id, rule, rule_version, severity, status, subject_type, subject_id, created_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, notified_times, checkpoint, responses, details';

  async function transition(
    p: Principal,
    id: string,
    to: 'acknowledged' | 'resolved',
    ctx: RequestContext,
    note?: string,
  ) {
    return db.transaction(async (tx) => {
      const { rows } = await tx.query<AlertRow>(`SELECT ${COLUMNS} FROM detection.alerts WHERE id = $1 FOR UPDATE`, [
        id,
      ]);
      const a = rows[0];
      if (!a) throw notFound();
      if (a.status === 'resolved')
        throw new AppError('conflict', 'alerts.already_resolved', 'This alert is already resolved.');
      const now = clock.now();
      if (to === 'acknowledged') {
        await tx.query(
          `UPDATE detection.alerts SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1`,
          [id, now, p.userId],
        );
      } else {
        await tx.query(
          `UPDATE detection.alerts SET status = 'resolved', resolved_at = $2, resolved_by = $3, note_sealed = $4,
                  acknowledged_at = coalesce(acknowledged_at, $2), acknowledged_by = coalesce(acknowledged_by, $3)
            WHERE id = $1`,
          [id, now, p.userId, seal(deps.sealKey, note ?? '', `detection.alert-note:${id}`)],
        );
      }
      await audit.append(tx, {
        action: to === 'acknowledged' ? 'detection.alert.acknowledged' : 'detection.alert.resolved',
        outcome: 'success',
        actor: { type: 'user', id: p.userId },
        target: { type: 'alert', id },
        ip: ctx.ip,
        requestId: ctx.requestId,
        details: { alertId: id },
      });
      const after = (await tx.query<AlertRow>(`SELECT ${COLUMNS} FROM detection.alerts WHERE id = $1`, [id])).rows[0];
      return view(after as AlertRow);
    });
  }

  return {
    async list(f: {
      status?: string | undefined;
      severity?: string | undefined;
      rule?: string | undefined;
      limit: number;
    }) {
      const { rows } = await db.query<AlertRow>(
        `SELECT ${COLUMNS} FROM detection.alerts
          WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR severity = $2) AND ($3::text IS NULL OR rule = $3)
          ORDER BY created_at DESC LIMIT $4`,
        [f.status ?? null, f.severity ?? null, f.rule ?? null, f.limit],
      );
      return rows.map(view);
    },
    /** Open and acknowledged alerts per severity (the badge and the dashboard). */
    async summary() {
      const { rows } = await db.query<{ status: string; severity: string; n: string }>(
        `SELECT status, severity, count(*) AS n FROM detection.alerts WHERE status <> 'resolved' GROUP BY 1, 2`,
      );
      return rows.map((r) => ({ status: r.status, severity: r.severity, count: Number(r.n) }));
    },
    async get(id: string) {
      const { rows } = await db.query<AlertRow>(`SELECT ${COLUMNS} FROM detection.alerts WHERE id = $1`, [id]);
      if (!rows[0]) throw notFound();
      return view(rows[0]);
    },
    /**
     * The alert with its timeline: the audit entries of the same user or address from an hour before the
     * alert to an hour after it (ids, actions, outcomes — no personal data is in the log to show).
     */
    async detail(id: string) {
      const { rows } = await db.query<AlertRow & { trigger_seq: string | null }>(
        `SELECT ${COLUMNS}, trigger_seq FROM detection.alerts WHERE id = $1`,
        [id],
      );
      const a = rows[0];
      if (!a) throw notFound();
      const actor = a.details.actorId ?? (a.subject_type === 'user' ? a.subject_id : null);
      const ip = a.details.ipHash ?? (a.subject_type === 'ip' ? a.subject_id : null);
      const from = new Date(a.created_at.getTime() - 3600_000);
      const to = new Date(a.created_at.getTime() + 3600_000);
      const timeline = await db.query<{
        seq: string;
        at: Date;
        action: string;
        outcome: string;
        actor_id: string | null;
        target_type: string | null;
        target_id: string | null;
      }>(
        `SELECT seq, at, action, outcome, actor_id, target_type, target_id FROM audit.entries
          WHERE at BETWEEN $1 AND $2
            AND (($3::text IS NOT NULL AND (actor_id::text = $3 OR target_id = $3))
                 OR ($4::text IS NOT NULL AND ip_hash = $4) OR target_id = $5)
          ORDER BY at DESC LIMIT 200`,
        [from, to, actor, ip, a.subject_id],
      );
      const rule = (await deps.rules.rules()).find((r) => r.id === a.rule);
      return {
        ...view(a),
        title: rule?.title ?? a.rule,
        point: rule?.point ?? null,
        observed: a.details.observed ?? null,
        limit: a.details.limit ?? null,
        timeline: timeline.rows.map((e) => ({
          seq: String(e.seq),
          at: e.at.toISOString(),
          action: e.action,
          outcome: e.outcome,
          actorId: e.actor_id,
          target: e.target_type ? { type: e.target_type, id: e.target_id } : null,
          trigger: a.trigger_seq !== null && String(a.trigger_seq) === String(e.seq),
        })),
      };
    },
    acknowledge: (p: Principal, id: string, ctx: RequestContext) => transition(p, id, 'acknowledged', ctx),
    resolve: (p: Principal, id: string, note: string, ctx: RequestContext) => transition(p, id, 'resolved', ctx, note),

    /** Re-sends open alerts whose last notice is older than the repeat interval (LOG-06: until acknowledged). */
    async repeatNotices(): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - deps.repeatMinutes * 60_000);
      const { rows } = await db.query<{ id: string; rule: string; notified_times: number }>(
        `SELECT id, rule, notified_times FROM detection.alerts
          WHERE status = 'open' AND (last_notified_at IS NULL OR last_notified_at < $1) LIMIT 100`,
        [cutoff],
      );
      for (const r of rows) {
        const rule = (await deps.rules.rules()).find((x) => x.id === r.rule);
        if (!rule) continue;
        await db.transaction(async (tx) => {
          await deps.enqueue(tx, { id: r.id, rule, repeat: r.notified_times });
          await tx.query(
            'UPDATE detection.alerts SET last_notified_at = $2, notified_times = notified_times + 1 WHERE id = $1',
            [r.id, clock.now()],
          );
        });
      }
      return rows.length;
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
