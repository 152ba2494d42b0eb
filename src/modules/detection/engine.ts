/**
 * The detection engine (LOG-04, LOG-05, IAM-15, INC-03): every committed audit event reaches `onEvent`; the rules
 * whose detection point it is judge their window, read from the audit log (one source of truth: every node sees
 * the same hits), and when one fires the engine responds in one transaction — alert, step-up, end sessions, lock
 * the account, block the address, lock the application down. The request that wrote the triggering event waits
 * for this, so the response is in force before the client's next request.
 */
import type { RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditLog, PublishedAuditEntry } from '../audit/index.ts';
import type { Blocklist } from './blocklist.ts';
import { type Judgement, judgeBaseline, judgeCount, judgeEnumeration } from './detectors.ts';
import type { RuleStore } from './rule-store.ts';
import { matches, type ResponseKind, type Rule } from './rules.ts';

/** The table detection reads hits from (one place to change if the audit log's storage changes). */
export const AUDIT_ENTRIES = 'audit.all_entries'; // integrated entries and those still pending (audit module)

export interface Responders {
  lockAccount(tx: Tx, userId: string, ctx: RequestContext): Promise<void>;
  endSessions(tx: Tx, userId: string, ctx: RequestContext): Promise<number>;
  requireStepUp(tx: Tx, userId: string): Promise<number>;
  engageLockdown(tx: Tx, rule: string, alertId: string, ctx: RequestContext): Promise<boolean>;
}

export interface DetectionDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append' | 'pseudonymiseIp'>;
  blocklist: Blocklist;
  rules: RuleStore;
  responders: Responders;
  notifyAlert(tx: Tx, alert: { id: string; rule: Rule }): Promise<void>;
  /** The newest signed audit checkpoint, as `<tree size>:<root hash hex>`, carried by each alert. */
  latestCheckpoint(q: Queryable): Promise<string | null>;
}

export type Subject = { type: 'user' | 'ip' | 'account_name' | 'system'; id: string };

interface HitRow {
  at: Date;
  action: string;
  target_id: string | null;
  details: Record<string, unknown>;
}

/** The window a rule judges over, in seconds (for de-duplicating alerts too). */
export const windowOf = (r: Rule) =>
  r.detector.kind === 'baseline' ? r.detector.bucketSeconds : r.detector.windowSeconds;

export function createDetectionEngine(deps: DetectionDeps) {
  const { db, clock, audit } = deps;
  const histories = new Map<string, { bucket: number; history: number[] }>();

  /** Which subject an entry counts against for this rule, or null when the rule does not apply to it. */
  function subjectOf(rule: Rule, e: PublishedAuditEntry): { column: string; subject: Subject } | null {
    const d = rule.detector;
    const groupBy = d.kind === 'count' ? d.groupBy : 'actor';
    if (groupBy === 'actor') {
      if (e.actorType !== 'user' || !e.actorId) return null;
      return { column: 'actor_id', subject: { type: 'user', id: e.actorId } };
    }
    if (groupBy === 'ip') return e.ipHash ? { column: 'ip_hash', subject: { type: 'ip', id: e.ipHash } } : null;
    if (!e.targetId) return null;
    const type = e.targetType === 'user' ? 'user' : e.targetType === 'account_name' ? 'account_name' : 'system';
    return { column: 'target_id', subject: { type, id: e.targetId } };
  }

  async function hitsOf(rule: Rule, column: string, key: string, since: Date, limit: number): Promise<HitRow[]> {
    const { rows } = await db.query<HitRow>(
      `SELECT at, action, target_id, details FROM ${AUDIT_ENTRIES}
        WHERE ${column} = $1 AND action = ANY($2::text[]) AND at > $3 LIMIT $4`,
      [key, [...rule.actions], since, limit],
    );
    return rows.filter((r) => matches(rule, r.details));
  }

  async function judge(rule: Rule, column: string, key: string): Promise<Judgement> {
    const now = clock.now().getTime();
    const d = rule.detector;
    if (d.kind === 'count') {
      const hits = await hitsOf(rule, column, key, new Date(now - d.windowSeconds * 1000), d.threshold * 50);
      return judgeCount(
        d,
        hits.map((h) => ({ targetId: h.target_id })),
      );
    }
    if (d.kind === 'enumeration') {
      // counts only, over at most 1,000 entries: far past every quota, and a busy window stays cheap
      const { rows } = await db.query<{ reveals: string; searches: string; hits: string | null }>(
        `SELECT count(DISTINCT target_id) FILTER (WHERE action = 'vault.record.revealed') AS reveals,
                count(*) FILTER (WHERE action = 'vault.record.searched') AS searches,
                sum((details->>'returned')::int) FILTER (WHERE action = 'vault.record.searched') AS hits
           FROM (SELECT action, target_id, details FROM ${AUDIT_ENTRIES}
                  WHERE actor_id = $1 AND action IN ('vault.record.revealed', 'vault.record.searched') AND at > $2
                  LIMIT 1000) w`,
        [key, new Date(now - d.windowSeconds * 1000)],
      );
      const r = rows[0];
      return judgeEnumeration(d, Number(r?.reveals ?? 0), Number(r?.searches ?? 0), Number(r?.hits ?? 0));
    }
    const current = Math.floor(now / 1000 / d.bucketSeconds);
    const bucketStart = new Date(current * d.bucketSeconds * 1000);
    // past buckets never change: the user's history is read once per bucket, then only the current count
    const cacheKey = `${rule.id}|${rule.version}|${key}`;
    let cached = histories.get(cacheKey);
    if (!cached || cached.bucket !== current) {
      const { rows } = await db.query<{ b: string; n: string }>(
        `SELECT floor(extract(epoch FROM at) / $5)::bigint AS b, count(*) AS n FROM ${AUDIT_ENTRIES}
          WHERE actor_id = $1 AND action = ANY($2::text[]) AND at > $3 AND at < $4 GROUP BY 1`,
        [key, [...rule.actions], new Date(now - d.historyDays * 86_400_000), bucketStart, d.bucketSeconds],
      );
      cached = { bucket: current, history: rows.map((r) => Number(r.n)) };
      if (histories.size > 50_000) histories.clear();
      histories.set(cacheKey, cached);
    }
    // counted only up to the limit: whether it is reached is all the judgement needs, and a busy hour stays cheap
    const limit = judgeBaseline(d, cached.history, 0).limit;
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM ${AUDIT_ENTRIES}
          WHERE actor_id = $1 AND action = ANY($2::text[]) AND at >= $3 LIMIT $4) hits`,
      [key, [...rule.actions], bucketStart, limit],
    );
    return judgeBaseline(d, cached.history, Number(rows[0]?.n ?? 0));
  }

  async function respond(rule: Rule, e: PublishedAuditEntry, subject: Subject, j: Judgement) {
    const now = clock.now();
    const since = new Date(now.getTime() - windowOf(rule) * 1000);
    const ctx: RequestContext = { ip: e.ip ?? '', requestId: e.requestId ?? '', route: 'detection' };
    const base = {
      actor: { type: 'system' as const },
      ip: e.ip,
      requestId: e.requestId,
      outcome: 'success' as const,
    };
    await db.transaction(async (tx) => {
      if (rule.mode === 'monitor') {
        await audit.append(tx, {
          ...base,
          action: 'detection.rule.matched',
          target: { type: subject.type, id: subject.id },
          details: { rule: rule.id, ruleVersion: rule.version, mode: 'monitor' },
        });
        return;
      }
      // one alert per rule and subject per window: later hits in the window join the open alert
      const dup = await tx.query(
        `SELECT 1 FROM detection.alerts WHERE rule = $1 AND subject_id = $2 AND created_at > $3 AND status <> 'resolved'
          FOR UPDATE`,
        [rule.id, subject.id, since],
      );
      if (dup.rows.length) return;
      const taken: ResponseKind[] = [];
      const alertId = newId();
      const checkpoint = await deps.latestCheckpoint(tx);
      await tx.query(
        `INSERT INTO detection.alerts (id, rule, rule_version, severity, status, subject_type, subject_id, trigger_seq,
                                       details, created_at, checkpoint, responses)
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10, '{}')`,
        [
          alertId,
          rule.id,
          rule.version,
          rule.severity,
          subject.type,
          subject.id,
          e.seq ?? null,
          JSON.stringify({
            action: e.action,
            observed: j.observed,
            limit: j.limit,
            basis: j.basis,
            subjectType: subject.type,
            actorId: e.actorType === 'user' ? e.actorId : null,
            ipHash: e.ipHash,
          }),
          now,
          checkpoint,
        ],
      );
      taken.push('alert');
      await audit.append(tx, {
        ...base,
        action: 'detection.alert.raised',
        target: { type: subject.type, id: subject.id },
        details: { rule: rule.id, ruleVersion: rule.version, severity: rule.severity, alertId },
      });
      const user = e.actorType === 'user' && e.actorId ? e.actorId : subject.type === 'user' ? subject.id : null;
      if (rule.responses.includes('lock_account') && user) {
        await deps.responders.lockAccount(tx, user, ctx);
        await audit.append(tx, {
          ...base,
          action: 'detection.account.locked',
          target: { type: 'user', id: user },
          details: { rule: rule.id },
        });
        taken.push('lock_account');
      }
      if (rule.responses.includes('end_sessions') && user) {
        await deps.responders.endSessions(tx, user, ctx);
        taken.push('end_sessions');
      }
      if (rule.responses.includes('step_up') && user) {
        await deps.responders.requireStepUp(tx, user);
        await audit.append(tx, {
          ...base,
          action: 'detection.step_up.required',
          target: { type: 'user', id: user },
          details: { rule: rule.id },
        });
        taken.push('step_up');
      }
      if (rule.responses.includes('block_ip') && e.ip) {
        const ipHash = audit.pseudonymiseIp(e.ip);
        const b = await deps.blocklist.blockIp(tx, e.ip, rule.id);
        await audit.append(tx, {
          ...base,
          action: 'detection.ip.blocked',
          target: { type: 'ip', id: ipHash },
          details: { rule: rule.id, minutes: b.minutes, level: b.level },
        });
        taken.push('block_ip');
      }
      if (rule.responses.includes('lockdown')) {
        if (await deps.responders.engageLockdown(tx, rule.id, alertId, ctx)) taken.push('lockdown');
      }
      await tx.query('UPDATE detection.alerts SET responses = $2 WHERE id = $1', [alertId, taken]);
      await deps.notifyAlert(tx, { id: alertId, rule });
    });
  }

  return {
    async onEvent(e: PublishedAuditEntry) {
      const rules = await deps.rules.forAction(e.action);
      // the rules of one event are judged together (reads only); responses run one after another
      const judged = await Promise.all(
        rules.map(async (rule) => {
          if (!rule.enabled || !matches(rule, e.details as Record<string, unknown>)) return null;
          const s = subjectOf(rule, e);
          if (!s) return null;
          return { rule, s, j: await judge(rule, s.column, s.subject.id) };
        }),
      );
      for (const x of judged) if (x?.j.fires) await respond(x.rule, e, x.s.subject, x.j);
    },
  };
}

export type DetectionEngine = ReturnType<typeof createDetectionEngine>;
