/**
 * Replay (IAM-15, LOG-04): how often a rule — as it is, or with proposed settings — would have fired over the
 * last 30 days of the audit log, judged by the same detector functions as the live engine. Run it before
 * enforcing a new threshold (or keep the rule in `monitor` mode meanwhile).
 */
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/db.ts';
import { judgeBaseline, judgeCount, judgeEnumeration } from './detectors.ts';
import { AUDIT_ENTRIES, windowOf } from './engine.ts';
import { matches, type Rule } from './rules.ts';

const MAX_ROWS = 500_000;

interface Row {
  at: Date;
  action: string;
  actor_id: string | null;
  actor_type: string;
  ip_hash: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
}

export interface ReplayResult {
  days: number;
  events: number;
  truncated: boolean;
  wouldFire: number;
  subjects: number;
  byDay: { day: string; fires: number }[];
}

export function createReplay(deps: { db: Db; clock: Clock }) {
  async function load(actions: readonly string[], since: Date): Promise<{ rows: Row[]; truncated: boolean }> {
    const { rows } = await deps.db.query<Row>(
      `SELECT at, action, actor_id, actor_type, ip_hash, target_id, details FROM ${AUDIT_ENTRIES}
        WHERE action = ANY($1::text[]) AND at > $2 ORDER BY at LIMIT $3`,
      [[...actions], since, MAX_ROWS + 1],
    );
    return { rows: rows.slice(0, MAX_ROWS), truncated: rows.length > MAX_ROWS };
  }

  function keyOf(rule: Rule, r: Row): string | null {
    const d = rule.detector;
    const groupBy = d.kind === 'count' ? d.groupBy : 'actor';
    if (groupBy === 'actor') return r.actor_type === 'user' ? r.actor_id : null;
    return groupBy === 'ip' ? r.ip_hash : r.target_id;
  }

  function simulate(rule: Rule, rows: Row[], from: number): { at: number; key: string }[] {
    const fires: { at: number; key: string }[] = [];
    const lastFire = new Map<string, number>();
    const windowMs = windowOf(rule) * 1000;
    const fire = (key: string, at: number) => {
      const last = lastFire.get(key);
      if (last !== undefined && at - last < windowMs) return;
      lastFire.set(key, at);
      if (at >= from) fires.push({ at, key });
    };
    const d = rule.detector;
    const perKey = new Map<string, Row[]>();
    for (const r of rows) {
      const key = keyOf(rule, r);
      if (!key) continue;
      const list = perKey.get(key);
      if (list) list.push(r);
      else perKey.set(key, [r]);
    }
    for (const [key, list] of perKey) {
      if (d.kind === 'count') {
        const hits = list.filter((r) => rule.actions.includes(r.action) && matches(rule, r.details));
        let start = 0;
        for (let i = 0; i < hits.length; i++) {
          const at = (hits[i] as Row).at.getTime();
          while (at - (hits[start] as Row).at.getTime() >= d.windowSeconds * 1000) start++;
          const window = hits.slice(start, i + 1).map((h) => ({ targetId: h.target_id }));
          if (judgeCount(d, window).fires) fire(key, at);
        }
      } else if (d.kind === 'enumeration') {
        let start = 0;
        for (let i = 0; i < list.length; i++) {
          const r = list[i] as Row;
          if (r.action !== 'vault.record.revealed') continue;
          const at = r.at.getTime();
          while (at - (list[start] as Row).at.getTime() >= d.windowSeconds * 1000) start++;
          const recent = list.slice(start, i + 1);
          const reveals = new Set(recent.filter((x) => x.action === 'vault.record.revealed').map((x) => x.target_id));
          const searches = recent.filter((x) => x.action === 'vault.record.searched');
          const hits = searches.reduce((a, x) => a + Number(x.details.returned ?? 0), 0);
          if (judgeEnumeration(d, reveals.size, searches.length, hits).fires) fire(key, at);
        }
      } else {
        const buckets = new Map<number, number>();
        const span = Math.round((d.historyDays * 86_400) / d.bucketSeconds);
        for (const r of list) {
          if (!rule.actions.includes(r.action) || !matches(rule, r.details)) continue;
          const at = r.at.getTime();
          const b = Math.floor(at / 1000 / d.bucketSeconds);
          buckets.set(b, (buckets.get(b) ?? 0) + 1);
          const history = [...buckets.entries()].filter(([k]) => k < b && k >= b - span).map(([, n]) => n);
          if (judgeBaseline(d, history, buckets.get(b) ?? 0).fires) fire(key, at);
        }
      }
    }
    return fires.sort((a, b) => a.at - b.at);
  }

  return {
    async replay(rule: Rule, days = 30): Promise<ReplayResult> {
      const now = deps.clock.now().getTime();
      const from = now - days * 86_400_000;
      const d = rule.detector;
      const lookback = d.kind === 'baseline' ? d.historyDays * 86_400_000 : windowOf(rule) * 1000;
      const actions = d.kind === 'enumeration' ? ['vault.record.revealed', 'vault.record.searched'] : [...rule.actions];
      const { rows, truncated } = await load(actions, new Date(from - lookback));
      const fires = simulate(rule, rows, from);
      const byDay = new Map<string, number>();
      for (const f of fires) {
        const day = new Date(f.at).toISOString().slice(0, 10);
        byDay.set(day, (byDay.get(day) ?? 0) + 1);
      }
      return {
        days,
        events: rows.filter((r) => r.at.getTime() >= from).length,
        truncated,
        wouldFire: fires.length,
        subjects: new Set(fires.map((f) => f.key)).size,
        byDay: [...byDay.entries()].map(([day, n]) => ({ day, fires: n })),
      };
    },
  };
}

export type Replay = ReturnType<typeof createReplay>;
