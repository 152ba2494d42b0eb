/**
 * The detection module assembled: rules (defaults + stored versions), the engine on the audit event stream,
 * alerts, blocks, lock-down, request-rate and session-context watching, audit-integrity watching, webhooks and
 * replay. `core.ts` builds it once and wires it to identity (lock, end sessions, step-up) and notifications.
 */
import type { RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable, Tx } from '../../platform/db/db.ts';
import type { AuditLog } from '../audit/index.ts';
import { createActivityMonitor, type SharedCounter } from './activity.ts';
import { createAlerts } from './alerts.service.ts';
import { createBlocklist } from './blocklist.ts';
import { createDetectionEngine } from './engine.ts';
import { createIntegrityWatch } from './integrity.ts';
import { createLockdown } from './lockdown.ts';
import { createReplay } from './replay.ts';
import { createRuleStore } from './rule-store.ts';
import { defaultRules, type Rule } from './rules.ts';
import { createWebhooks } from './webhooks.ts';

export interface DetectionWiring {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append' | 'pseudonymiseIp' | 'pseudonymsOfIp' | 'verify'>;
  sealKey: Buffer;
  contextKey: Buffer;
  shared?: SharedCounter | undefined;
  heartbeatSeconds?: number;
  requestRateCapPerMinute?: number;
  identity: {
    lockAccount(tx: Tx, userId: string, ctx: RequestContext): Promise<void>;
    endSessions(tx: Tx, userId: string, ctx: RequestContext): Promise<number>;
    requireStepUp(tx: Tx, userId: string): Promise<number>;
  };
  /** Queues an alert notice (email + SMS to the on-call roles, webhooks) in the caller's transaction. */
  enqueueAlert(
    tx: Tx,
    a: { id: string; rule: Pick<Rule, 'id' | 'title' | 'severity'>; repeat: number; webhooks: string[] },
  ): Promise<void>;
  repeatMinutes?: number;
}

export async function latestCheckpoint(q: Queryable): Promise<string | null> {
  const { rows } = await q.query<{ tree_size: string; root_hash: Buffer }>(
    'SELECT tree_size, root_hash FROM audit.checkpoints ORDER BY tree_size DESC LIMIT 1',
  );
  const r = rows[0];
  return r ? `${r.tree_size}:${Buffer.from(r.root_hash).toString('hex')}` : null;
}

export async function createDetection(w: DetectionWiring) {
  const { db, clock, audit } = w;
  const rules = createRuleStore({ db, clock, audit });
  const blocklist = createBlocklist({
    db,
    clock,
    pseudonymiseIp: audit.pseudonymiseIp,
    pseudonymsOfIp: audit.pseudonymsOfIp,
  });
  await blocklist.reload();
  const lockdown = createLockdown({ db, clock, audit });
  const webhooks = createWebhooks({ db, clock, audit, sealKey: w.sealKey });
  const enqueue = async (tx: Tx, a: { id: string; rule: Rule; repeat: number }) =>
    w.enqueueAlert(tx, { ...a, webhooks: a.repeat === 0 ? await webhooks.forSeverity(tx, a.rule.severity) : [] });
  const alerts = createAlerts({
    db,
    clock,
    audit,
    sealKey: w.sealKey,
    rules,
    enqueue,
    repeatMinutes: w.repeatMinutes ?? 15,
  });
  const engine = createDetectionEngine({
    db,
    clock,
    audit,
    blocklist,
    rules,
    latestCheckpoint,
    responders: {
      lockAccount: w.identity.lockAccount,
      endSessions: w.identity.endSessions,
      requireStepUp: w.identity.requireStepUp,
      engageLockdown: (tx, rule, alertId, ctx) => lockdown.engageIn(tx, { rule, alertId }, ctx),
    },
    notifyAlert: async (tx, a) => {
      await enqueue(tx, { ...a, repeat: 0 });
      await tx.query('UPDATE detection.alerts SET last_notified_at = $2, notified_times = 1 WHERE id = $1', [
        a.id,
        clock.now(),
      ]);
    },
  });
  const cap = w.requestRateCapPerMinute ?? 600;
  const activity = createActivityMonitor({
    db,
    clock,
    audit,
    key: w.contextKey,
    shared: w.shared,
    settings: { hardCapPerMinute: cap, floorPerMinute: Math.min(120, cap) },
  });
  const integrity = createIntegrityWatch({ db, clock, audit, heartbeatSeconds: w.heartbeatSeconds ?? 300 });
  const replay = createReplay({ db, clock });
  return { rules, blocklist, lockdown, webhooks, alerts, engine, activity, integrity, replay };
}

export type Detection = Awaited<ReturnType<typeof createDetection>>;

export { defaultRules };
