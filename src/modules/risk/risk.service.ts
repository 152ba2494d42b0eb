/**
 * The risk engine's use cases (IAM-14, IAM-15): score a sign-in after the password and a reveal before anything is
 * decrypted; store every decision with its indicators (explainable line by line) and audit it as `risk.assessed`
 * (score, decision, fired indicator ids) for detection rules; learn the user's sign-in profile when a sign-in
 * completes; import Tor and threat lists; replay stored assessments under another policy before enforcing it.
 *
 * Decisions. Sign-in: deny answers exactly like every other failure (401 auth.invalid_credentials, api.md); a
 * step-up narrows the second factors to the strongest the user has (passkey, else TOTP; never SMS or recovery
 * codes), since every sign-in already needs one. Reveal: step-up requires a second factor given AFTER the engine
 * asked (a recent one does not count); deny refuses with `risk.denied`. Mode `monitor` assesses and audits but
 * never blocks; `off` skips assessment.
 */
import { createHmac } from 'node:crypto';
import type { Principal, RequestContext } from '../../platform/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db, Tx } from '../../platform/db/db.ts';
import { ConfigError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditLog } from '../audit/index.ts';
import {
  type Evidence,
  evaluateIndicators,
  type Features,
  indicatorIds,
  indicatorSpecs,
  type Stage,
} from './indicators.ts';
import { parseIp } from './intel/ip.ts';
import type { IpIntel, IpIntelSource } from './intel/ip-intel.ts';
import { type ListKind, MAX_LIST_ENTRIES, parseList } from './lists.ts';
import * as errors from './risk.errors.ts';
import * as repo from './risk.repository.ts';
import { type Contribution, type Decision, defaultFactorCaps, type RiskPolicy, replay, score } from './scoring.ts';
import { type ClientSignals, signalsFrom, uaClassLabel } from './signals.ts';

export type RiskMode = 'enforce' | 'monitor' | 'off';
export type MfaMethodName = 'totp' | 'webauthn' | 'sms' | 'recovery_code';

export interface RiskConfig {
  mode: RiskMode;
  stepUpScore: number;
  denyScore: number;
  weights: Readonly<Record<string, number>>;
  deniedCountries: readonly string[];
  allowedCountries: readonly string[];
}

export interface RiskDeps {
  db: Db;
  clock: Clock;
  audit: Pick<AuditLog, 'append' | 'pseudonymiseIp'>;
  intel: IpIntelSource;
  /** HMAC key for device-cookie hashes (derived from the root key). */
  deviceKey: Buffer;
  config: RiskConfig;
}

/** Signals of the requests in flight, by request id (filled by the HTTP hooks, gone with the response). */
export interface SignalRegistry {
  put(requestId: string, s: ClientSignals): void;
  get(requestId: string): ClientSignals | undefined;
  drop(requestId: string): void;
}

const STRONGEST: readonly MfaMethodName[] = ['webauthn', 'totp', 'sms'];
const factorOf = (id: string) => indicatorSpecs.find((i) => i.id === id)?.factor ?? 'unknown';
const noHeaders = (): ClientSignals => signalsFrom({}, {});

export function createRiskService(deps: RiskDeps) {
  const { db, clock, audit, intel, config } = deps;
  const unknown = Object.keys(config.weights).filter((id) => !indicatorIds.has(id));
  if (unknown.length) throw new ConfigError(unknown.map((id) => `STRONGROOM_RISK_WEIGHTS: unknown indicator "${id}"`));
  const policy: RiskPolicy = {
    stepUp: config.stepUpScore,
    deny: config.denyScore,
    weights: config.weights,
    factorCaps: defaultFactorCaps,
  };
  const inflight = new Map<string, ClientSignals>();
  const signals: SignalRegistry = {
    put: (id, s) => void inflight.set(id, s),
    get: (id) => inflight.get(id),
    drop: (id) => void inflight.delete(id),
  };
  const deviceHash = (deviceId: string) =>
    createHmac('sha256', deps.deviceKey).update(`device:${deviceId}`).digest('hex').slice(0, 32);
  const signalsOf = (ctx: RequestContext) => signals.get(ctx.requestId) ?? noHeaders();

  async function assess(
    stage: Stage,
    userId: string,
    ctx: RequestContext,
    extra: { sessionId?: string; ownerId?: string; purpose?: string } = {},
  ) {
    const now = clock.now();
    const s = signalsOf(ctx);
    const ip: IpIntel = intel.lookup(ctx.ip);
    const ipHash = audit.pseudonymiseIp(ctx.ip);
    const loaded = await repo.loadFeatures(db, {
      stage,
      userId,
      ipHash,
      ip: parseIp(ctx.ip) ? ctx.ip : null,
      now,
      ...extra,
    });
    if (!loaded) return undefined;
    const features: Features = {
      stage,
      now,
      ip,
      ipHash,
      signals: s,
      deviceHash: deviceHash(s.deviceId),
      account: loaded.account,
      profile: loaded.profile,
      counts: loaded.counts,
      countries: { denied: config.deniedCountries, allowed: config.allowedCountries },
      session: loaded.session,
      reveal: loaded.reveal,
    };
    const fired = evaluateIndicators(features);
    return { now, ip, ipHash, signals: s, scored: score(fired, policy), openDemandAt: loaded.openDemandAt };
  }

  type Assessed = NonNullable<Awaited<ReturnType<typeof assess>>>;

  function rowOf(
    a: Assessed,
    base: { id: string; stage: Stage; userId: string; ctx: RequestContext; outcome: repo.AssessmentRow['outcome'] },
    more: Partial<repo.AssessmentRow> = {},
  ): repo.AssessmentRow {
    return {
      id: base.id,
      at: a.now,
      stage: base.stage,
      userId: base.userId,
      sessionId: null,
      challengeId: null,
      requestId: base.ctx.requestId,
      ipHash: a.ipHash,
      country: a.ip.country,
      asn: a.ip.asn,
      clientClass: uaClassLabel(a.signals.ua),
      score: a.scored.score,
      decision: a.scored.decision,
      outcome: base.outcome,
      enforced: config.mode === 'enforce',
      methods: null,
      thresholds: { stepUp: policy.stepUp, deny: policy.deny },
      indicators: a.scored.contributions,
      ...more,
    };
  }

  /** The assessment row and its audit entry, in the caller's transaction. */
  async function persist(tx: Tx, row: repo.AssessmentRow, ctx: RequestContext) {
    await repo.insertAssessment(tx, row);
    await audit.append(tx, {
      action: 'risk.assessed',
      outcome: row.outcome === 'denied' || row.outcome === 'challenged' ? 'denied' : 'success',
      actor: { type: 'user', id: row.userId },
      target: { type: 'risk_assessment', id: row.id },
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: {
        assessmentId: row.id,
        stage: row.stage,
        score: row.score,
        decision: row.decision,
        outcome: row.outcome,
        enforced: row.enforced,
        indicators: row.indicators.map((i) => i.id),
      },
    });
  }

  const outcomeOf = (decision: Decision): repo.AssessmentRow['outcome'] =>
    config.mode !== 'enforce'
      ? 'monitored'
      : decision === 'deny'
        ? 'denied'
        : decision === 'step_up'
          ? 'challenged'
          : 'allowed';

  return {
    signals,
    policy,
    mode: config.mode,
    deviceHash,

    /**
     * After a correct password, before the second-factor challenge. `challengeId` is the id of the sign-in
     * challenge this assessment gates (its allowed methods are checked when the second factor comes).
     */
    async assessLogin(userId: string, ctx: RequestContext, challengeId: string) {
      const pass = {
        decision: 'allow' as Decision,
        narrowMethods: async <M extends string>(m: M[]) => m,
        recordDenied: async (_tx: Tx) => {},
      };
      if (config.mode === 'off') return pass;
      const a = await assess('login', userId, ctx);
      if (!a) return pass;
      const outcome = outcomeOf(a.scored.decision);
      const narrow = <M extends string>(methods: M[]): M[] => {
        if (outcome !== 'challenged') return methods;
        const best = STRONGEST.find((m) => methods.includes(m as M));
        return best ? [best as M] : methods.filter((m) => m !== 'recovery_code');
      };
      const row = rowOf(a, { id: newId(), stage: 'login', userId, ctx, outcome }, { challengeId });
      return {
        decision: outcome === 'denied' ? 'deny' : outcome === 'challenged' ? 'step_up' : ('allow' as Decision),
        /** Narrows the user's methods (when stepping up) and records the assessment with them. */
        async narrowMethods<M extends string>(methods: M[]): Promise<M[]> {
          const allowed = narrow(methods);
          await db.transaction((tx) => persist(tx, { ...row, methods: allowed }, ctx));
          return allowed;
        },
        /** Records a denied assessment (the caller answers like any failed sign-in). */
        async recordDenied(tx: Tx) {
          await persist(tx, row, ctx);
        },
      };
    },

    /** At the second factor: a step-up at sign-in accepts only the method(s) recorded with its assessment. */
    async isMethodAllowed(tx: Tx, challengeId: string, method: string): Promise<boolean> {
      if (config.mode === 'off') return true;
      const a = await repo.loginAssessmentOfChallenge(tx, challengeId);
      return !a?.methods || a.methods.includes(method);
    },

    /** A sign-in completed: bind the session to its assessment and learn the profile (same transaction). */
    async onSignedIn(tx: Tx, s: { userId: string; challengeId: string; sessionId: string }, ctx: RequestContext) {
      if (config.mode === 'off') return;
      const now = clock.now();
      const sig = signalsOf(ctx);
      const ip = intel.lookup(ctx.ip);
      const device = deviceHash(sig.deviceId);
      const client = uaClassLabel(sig.ua);
      const a = await repo.loginAssessmentOfChallenge(tx, s.challengeId);
      await repo.bindSession(tx, {
        sessionId: s.sessionId,
        userId: s.userId,
        assessmentId: a?.id ?? null,
        ipHash: audit.pseudonymiseIp(ctx.ip),
        clientClass: client,
        deviceHash: device,
        country: ip.country,
        at: now,
      });
      const p = await repo.lockProfile(tx, s.userId, now);
      const bump = (m: Record<string, number>, k: string | number | null) => {
        if (k !== null) m[String(k)] = (m[String(k)] ?? 0) + 1;
      };
      p.signIns++;
      bump(p.countries, ip.country);
      bump(p.asns, ip.asn);
      bump(p.uaClasses, client);
      p.devices[device] = now.toISOString();
      p.devices = Object.fromEntries(
        Object.entries(p.devices)
          .sort((x, y) => y[1].localeCompare(x[1]))
          .slice(0, 20),
      );
      p.hours[now.getUTCHours()] = (p.hours[now.getUTCHours()] ?? 0) + 1;
      if (ip.lat !== null && ip.lon !== null) {
        // places are kept as a 1° cell (~100 km), no finer than needed for travel speed and "usual location"
        const lat = Math.round(ip.lat);
        const lon = Math.round(ip.lon);
        bump(p.cells, `${lat},${lon}`);
        p.cells = Object.fromEntries(
          Object.entries(p.cells)
            .sort((x, y) => y[1] - x[1])
            .slice(0, 30),
        );
        p.last = { at: now, lat, lon, country: ip.country };
      }
      await repo.saveProfile(tx, s.userId, p, now);
      // a browser without our device cookie gets one with this answer (see the onSend hook)
      if (sig.deviceIsNew) signals.put(ctx.requestId, { ...sig, setCookie: true });
    },

    /**
     * Before a reveal commits. Answers a refusal (the vault audits and throws it) or `record(tx)`, which stores
     * the assessment in the reveal's own transaction: no audit entry, no reveal.
     */
    async assessReveal(
      p: Principal,
      r: { ownerId: string; purpose: string },
      ctx: RequestContext,
    ): Promise<{ refusal?: { reason: 'risk' | 'step_up'; error: Error }; record(tx: Tx): Promise<void> }> {
      const none = { record: async () => {} };
      if (config.mode === 'off') return none;
      const a = await assess('reveal', p.userId, ctx, {
        sessionId: p.sessionId,
        ownerId: r.ownerId,
        purpose: r.purpose,
      });
      if (!a) return none;
      let outcome = outcomeOf(a.scored.decision);
      // a step-up answered after the engine asked (within its 10-minute window) satisfies the demand
      if (outcome === 'challenged' && a.openDemandAt && p.mfaAt.getTime() > a.openDemandAt.getTime())
        outcome = 'step_up_satisfied';
      const row = rowOf(
        a,
        { id: newId(), stage: 'reveal', userId: p.userId, ctx, outcome },
        { sessionId: p.sessionId },
      );
      if (outcome === 'denied' || outcome === 'challenged') {
        await db.transaction((tx) => persist(tx, row, ctx));
        return outcome === 'denied'
          ? { refusal: { reason: 'risk', error: errors.revealDenied() }, ...none }
          : { refusal: { reason: 'step_up', error: errors.revealStepUp() }, ...none };
      }
      return { record: (tx: Tx) => persist(tx, row, ctx) };
    },

    async list(filter: repo.ListFilter) {
      return (await repo.listAssessments(db, filter)).map(explain);
    },

    async get(id: string) {
      const a = await repo.getAssessment(db, id);
      if (!a) throw errors.assessmentNotFound();
      return explain(a);
    },

    lists: () => repo.listLists(db),

    /** Replaces a list whole; audited. `by` is null for the host operator (CLI). */
    async importList(
      by: string | null,
      list: ListKind,
      text: string,
      via: 'api' | 'cli',
      ctx: Pick<RequestContext, 'ip' | 'requestId'> | null,
    ) {
      const parsed = parseList(text);
      if (!parsed.cidrs.length) throw errors.listEmpty();
      if (parsed.cidrs.length > MAX_LIST_ENTRIES) throw errors.listTooLarge(MAX_LIST_ENTRIES);
      const { replaced } = await db.transaction(async (tx) => {
        const r = await repo.replaceList(tx, {
          list,
          cidrs: parsed.cidrs,
          sha256: parsed.sha256,
          at: clock.now(),
          by,
          via,
        });
        await audit.append(tx, {
          action: 'risk.list.imported',
          outcome: 'success',
          actor: by ? { type: 'user', id: by } : { type: 'host_operator' },
          target: { type: 'risk_list', id: list },
          ip: ctx?.ip ?? null,
          requestId: ctx?.requestId ?? null,
          details: {
            list,
            entries: parsed.cidrs.length,
            rejected: parsed.rejectedCount,
            replaced: r.replaced,
            sha256: parsed.sha256,
            via,
          },
        });
        return r;
      });
      return {
        list,
        entries: parsed.cidrs.length,
        rejected: parsed.rejected,
        rejectedCount: parsed.rejectedCount,
        sha256: parsed.sha256,
        replaced,
      };
    },

    /** Evaluates the stored assessments of the last `days` under a changed policy; nothing is enforced. */
    async replay(
      userId: string,
      input: {
        stepUp?: number | undefined;
        deny?: number | undefined;
        weights?: Record<string, number> | undefined;
        factorCaps?: Partial<RiskPolicy['factorCaps']> | undefined;
        days?: number | undefined;
      },
      ctx: RequestContext,
    ) {
      for (const id of Object.keys(input.weights ?? {})) if (!indicatorIds.has(id)) throw errors.unknownIndicator(id);
      const candidate: RiskPolicy = {
        stepUp: input.stepUp ?? policy.stepUp,
        deny: input.deny ?? policy.deny,
        weights: { ...policy.weights, ...(input.weights ?? {}) },
        factorCaps: { ...policy.factorCaps, ...(input.factorCaps ?? {}) },
      };
      const days = input.days ?? 30;
      const since = new Date(clock.now().getTime() - days * 86_400_000);
      async function* items() {
        for await (const r of repo.assessmentsSince(db, since))
          yield { id: r.id, decision: r.decision as Decision, score: Number(r.score), fired: r.indicators };
      }
      const collected = [];
      for await (const it of items()) collected.push(it);
      const result = replay(collected, candidate);
      await db.transaction((tx) =>
        audit.append(tx, {
          action: 'risk.replayed',
          outcome: 'success',
          actor: { type: 'user', id: userId },
          ip: ctx.ip,
          requestId: ctx.requestId,
          details: { days, evaluated: result.evaluated, changed: result.changed },
        }),
      );
      return {
        ...result,
        days,
        policy: { current: policy, candidate },
      };
    },
  };

  /** The stored decision with each indicator's weight, factor and contribution, as the API and UI show it. */
  function explain(a: repo.AssessmentRow) {
    const stored = a.indicators as Partial<Contribution>[];
    return {
      id: a.id,
      at: a.at.toISOString(),
      stage: a.stage,
      userId: a.userId,
      sessionId: a.sessionId,
      requestId: a.requestId,
      ipHash: a.ipHash,
      country: a.country,
      asn: a.asn,
      client: a.clientClass,
      score: a.score,
      decision: a.decision,
      outcome: a.outcome,
      enforced: a.enforced,
      methods: a.methods,
      thresholds: a.thresholds,
      // weights and points as they were when the decision was made (the policy may have changed since)
      indicators: stored.map((c) => ({
        id: String(c.id),
        factor: String(c.factor ?? factorOf(String(c.id))),
        weight: Number(c.weight ?? 0),
        strength: Number(c.strength ?? 1),
        points: Number(c.points ?? 0),
        evidence: (c.evidence ?? {}) as Evidence,
      })),
    };
  }
}

export type RiskService = ReturnType<typeof createRiskService>;
