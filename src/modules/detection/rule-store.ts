/**
 * The rules in force: the built-in defaults (version 1) with the newest stored settings applied. A change is a
 * new version row, audited as `detection.rule.changed` with `weakened` (a weakening change is itself a detection
 * point). Every node re-reads the settings at most `ttlMs` after a change elsewhere; the node that made the
 * change applies it at once.
 */
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Queryable } from '../../platform/db/db.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditLog } from '../audit/index.ts';
import {
  applySettings,
  defaultRules,
  isWeakening,
  misfitSettings,
  type Rule,
  type RuleSettings,
  ruleSettingsSchema,
} from './rules.ts';

export interface RuleVersion {
  version: number;
  settings: RuleSettings;
  weakened: boolean;
  changedBy: string | null;
  changedAt: string | null;
}

export function createRuleStore(deps: {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append'>;
  defaults?: readonly Rule[];
  ttlMs?: number;
}) {
  const { db, clock } = deps;
  const defaults = deps.defaults ?? defaultRules;
  const ttlMs = deps.ttlMs ?? 5000;
  let cache: { at: number; rules: readonly Rule[]; byAction: Map<string, Rule[]> } | null = null;

  async function load(q: Queryable): Promise<readonly Rule[]> {
    const { rows } = await q.query<{ rule: string; version: number; settings: RuleSettings }>(
      `SELECT DISTINCT ON (rule) rule, version, settings FROM detection.rule_settings ORDER BY rule, version DESC`,
    );
    const latest = new Map(rows.map((r) => [r.rule, r]));
    return defaults.map((d) => {
      const s = latest.get(d.id);
      return s ? applySettings(d, ruleSettingsSchema.parse(s.settings), s.version) : d;
    });
  }

  async function rules(): Promise<readonly Rule[]> {
    const now = Date.now();
    if (!cache || now - cache.at > ttlMs) {
      const rs = await load(db);
      const byAction = new Map<string, Rule[]>();
      for (const r of rs) for (const a of r.actions) byAction.set(a, [...(byAction.get(a) ?? []), r]);
      cache = { at: now, rules: rs, byAction };
    }
    return cache.rules;
  }

  const notFound = () => new AppError('not_found', 'detection.rule_not_found', 'There is no such detection rule.');

  return {
    rules,
    /** Rules (in force or not) whose detection point includes this action. */
    async forAction(action: string): Promise<readonly Rule[]> {
      await rules();
      return cache?.byAction.get(action) ?? [];
    },
    async get(id: string): Promise<Rule> {
      const r = (await rules()).find((x) => x.id === id);
      if (!r) throw notFound();
      return r;
    },
    defaultOf(id: string): Rule {
      const r = defaults.find((x) => x.id === id);
      if (!r) throw notFound();
      return r;
    },
    /** The rule as it would be with these settings (for replay before saving). */
    async preview(id: string, s: RuleSettings): Promise<Rule> {
      const current = await this.get(id);
      const misfit = misfitSettings(current, s);
      if (misfit.length)
        throw new AppError(
          'validation',
          'detection.settings_invalid',
          `These settings do not apply to this rule's detector: ${misfit.join(', ')}.`,
        );
      return applySettings(current, s, current.version + 1);
    },
    async history(id: string): Promise<RuleVersion[]> {
      this.defaultOf(id);
      const { rows } = await db.query<{
        version: number;
        settings: RuleSettings;
        weakened: boolean;
        changed_by: string;
        changed_at: Date;
      }>(
        'SELECT version, settings, weakened, changed_by, changed_at FROM detection.rule_settings WHERE rule = $1 ORDER BY version DESC',
        [id],
      );
      return [
        ...rows.map((r) => ({
          version: r.version,
          settings: r.settings,
          weakened: r.weakened,
          changedBy: r.changed_by,
          changedAt: r.changed_at.toISOString(),
        })),
        { version: 1, settings: {}, weakened: false, changedBy: null, changedAt: null },
      ];
    },
    /** Stores new settings as the next version (merged over the current ones) and audits the change. */
    async update(p: Principal, id: string, input: RuleSettings, ctx: RequestContext): Promise<Rule> {
      const parsed = ruleSettingsSchema.safeParse(input);
      if (!parsed.success)
        throw new AppError('validation', 'detection.settings_invalid', 'These rule settings are out of range.', {
          issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        });
      const s = parsed.data;
      await this.preview(id, s); // refuses settings that do not fit the rule's detector
      const saved = await db.transaction(async (tx) => {
        // serialise changes to one rule: the version number is the primary key
        const { rows } = await tx.query<{ version: number; settings: RuleSettings }>(
          'SELECT version, settings FROM detection.rule_settings WHERE rule = $1 ORDER BY version DESC LIMIT 1 FOR UPDATE',
          [id],
        );
        const prevSettings = rows[0]?.settings ?? {};
        const prev = rows[0] ? applySettings(this.defaultOf(id), prevSettings, rows[0].version) : this.defaultOf(id);
        const merged = { ...prevSettings, ...s };
        const version = (rows[0]?.version ?? 1) + 1;
        const rule = applySettings(this.defaultOf(id), merged, version);
        const weakened = isWeakening(prev, rule);
        await tx.query(
          `INSERT INTO detection.rule_settings (rule, version, settings, weakened, changed_by, changed_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, version, JSON.stringify(merged), weakened, p.userId, clock.now()],
        );
        await deps.audit.append(tx, {
          action: 'detection.rule.changed',
          outcome: 'success',
          actor: { type: 'user', id: p.userId },
          target: { type: 'rule', id },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { rule: id, version, weakened, enabled: rule.enabled, mode: rule.mode },
        });
        return rule;
      });
      cache = null;
      return saved;
    },
    invalidate() {
      cache = null;
    },
  };
}

export type RuleStore = ReturnType<typeof createRuleStore>;
