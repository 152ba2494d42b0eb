/**
 * The detection engine (LOG-04, LOG-05, IAM-15): every committed audit event reaches `onEvent`; rules whose
 * detection point it is count their window in the audit log (one source of truth, every node sees the same) and,
 * at the threshold, respond in one transaction: alert, lock the account, block the address. The transaction that
 * wrote the triggering event waits for this, so the response is in force before the client's next request.
 */
import type { RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditLog, PublishedAuditEntry } from '../audit/index.ts';
import type { Blocklist } from './blocklist.ts';
import type { Rule } from './rules.ts';

export interface DetectionDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append' | 'pseudonymiseIp'>;
  blocklist: Blocklist;
  rules: readonly Rule[];
  lockAccount(tx: Tx, userId: string, ctx: RequestContext): Promise<void>;
  notifyAlert(tx: Tx, alert: { id: string; rule: Rule }): Promise<void>;
}

export function createDetectionEngine(deps: DetectionDeps) {
  const { db, clock, audit } = deps;
  const byAction = new Map<string, Rule[]>();
  for (const r of deps.rules) for (const a of r.actions) byAction.set(a, [...(byAction.get(a) ?? []), r]);

  async function hits(rule: Rule, key: string, since: Date): Promise<number> {
    const column = rule.groupBy === 'actor' ? 'actor_id' : rule.groupBy === 'ip' ? 'ip_hash' : 'target_id';
    const { rows } = await db.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit.entries WHERE ${column} = $1 AND action = ANY($2::text[]) AND at > $3
        ORDER BY at DESC LIMIT $4`,
      [key, [...rule.actions], since, rule.threshold * 20],
    );
    return rows.filter((r) => !rule.where || rule.where(r.details)).length;
  }

  async function respond(rule: Rule, e: PublishedAuditEntry, subject: { type: 'user' | 'ip'; id: string }) {
    const now = clock.now();
    const since = new Date(now.getTime() - rule.windowSeconds * 1000);
    await db.transaction(async (tx) => {
      // one alert per rule and subject per window: later hits in the window join the open alert
      const dup = await tx.query(
        `SELECT 1 FROM detection.alerts WHERE rule = $1 AND subject_id = $2 AND created_at > $3 AND status <> 'resolved'
          FOR UPDATE`,
        [rule.id, subject.id, since],
      );
      if (dup.rows.length) return;
      const ctx: RequestContext = { ip: e.ip ?? '', requestId: e.requestId ?? '', route: 'detection' };
      const base = {
        actor: { type: 'system' as const },
        ip: e.ip,
        requestId: e.requestId,
        outcome: 'success' as const,
      };
      const alertId = newId();
      await tx.query(
        `INSERT INTO detection.alerts (id, rule, rule_version, severity, status, subject_type, subject_id, trigger_seq,
                                       details, created_at)
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9)`,
        [
          alertId,
          rule.id,
          rule.version,
          rule.severity,
          subject.type,
          subject.id,
          e.seq,
          JSON.stringify({ action: e.action }),
          now,
        ],
      );
      await audit.append(tx, {
        ...base,
        action: 'detection.alert.raised',
        target: { type: subject.type, id: subject.id },
        details: { rule: rule.id, ruleVersion: rule.version, severity: rule.severity, alertId },
      });
      if (rule.responses.includes('lock_account') && e.actorType === 'user' && e.actorId) {
        await deps.lockAccount(tx, e.actorId, ctx);
        await audit.append(tx, {
          ...base,
          action: 'detection.account.locked',
          target: { type: 'user', id: e.actorId },
          details: { rule: rule.id },
        });
      }
      if (rule.responses.includes('block_ip') && e.ip) {
        const b = await deps.blocklist.block(tx, audit.pseudonymiseIp(e.ip), rule.id);
        await audit.append(tx, {
          ...base,
          action: 'detection.ip.blocked',
          target: { type: 'ip', id: audit.pseudonymiseIp(e.ip) },
          details: { rule: rule.id, minutes: b.minutes, level: b.level },
        });
      }
      await deps.notifyAlert(tx, { id: alertId, rule });
    });
  }

  return {
    async onEvent(e: PublishedAuditEntry) {
      const rules = byAction.get(e.action);
      if (!rules) return;
      for (const rule of rules) {
        if (rule.where && !rule.where(e.details as Record<string, unknown>)) continue;
        const key = rule.groupBy === 'actor' ? e.actorId : rule.groupBy === 'ip' ? e.ipHash : e.targetId;
        if (!key || (rule.groupBy === 'actor' && e.actorType !== 'user')) continue;
        const since = new Date(clock.now().getTime() - rule.windowSeconds * 1000);
        if ((await hits(rule, key, since)) < rule.threshold) continue;
        await respond(rule, e, rule.groupBy === 'ip' ? { type: 'ip', id: key } : { type: 'user', id: key });
      }
    },
  };
}
