/**
 * From fired indicators to a 0–100 score and a decision (IAM-14), pure and replayable. Each indicator adds
 * weight × strength; a factor adds at most its cap (correlated signals, such as a new device and a new browser,
 * cannot pile up on their own), except a decisive one (a configured country refusal); the score is the capped sum,
 * at most 100. Thresholds decide: below `stepUp` allow, from
 * `stepUp` step-up, from `deny` deny. Every contribution is kept, so a decision explains itself line by line.
 */
import { type Factor, type Fired, indicatorSpecs } from './indicators.ts';

export type Decision = 'allow' | 'step_up' | 'deny';

export interface RiskPolicy {
  stepUp: number;
  deny: number;
  /** Per-indicator weight overrides (0 switches an indicator off). */
  weights: Readonly<Record<string, number>>;
  factorCaps: Readonly<Record<Factor, number>>;
}

export const defaultFactorCaps: Readonly<Record<Factor, number>> = {
  ip: 80,
  geo: 60,
  device: 40,
  behaviour: 50,
  account: 30,
  session: 60,
  reveal: 40,
};

export const defaultPolicy: RiskPolicy = { stepUp: 40, deny: 80, weights: {}, factorCaps: defaultFactorCaps };

const specById = new Map(indicatorSpecs.map((s) => [s.id, s]));

export interface Contribution extends Fired {
  factor: Factor;
  weight: number;
  /** weight × strength, before the factor cap */
  points: number;
}

export interface Scored {
  score: number;
  decision: Decision;
  contributions: Contribution[];
  factors: Partial<Record<Factor, { points: number; capped: boolean }>>;
}

export function weightOf(policy: RiskPolicy, id: string): number {
  return policy.weights[id] ?? specById.get(id)?.weight ?? 0;
}

export function decide(policy: Pick<RiskPolicy, 'stepUp' | 'deny'>, score: number): Decision {
  if (score >= policy.deny) return 'deny';
  if (score >= policy.stepUp) return 'step_up';
  return 'allow';
}

export function score(fired: readonly Fired[], policy: RiskPolicy): Scored {
  const contributions: Contribution[] = [];
  const raw: Partial<Record<Factor, number>> = {};
  let total = 0;
  for (const f of fired) {
    const spec = specById.get(f.id);
    if (!spec) continue;
    const weight = weightOf(policy, f.id);
    const points = Math.round(weight * f.strength * 10) / 10;
    contributions.push({ ...f, factor: spec.factor, weight, points });
    if (spec.decisive) total += points;
    else raw[spec.factor] = (raw[spec.factor] ?? 0) + points;
  }
  const factors: Scored['factors'] = {};
  for (const [factor, points] of Object.entries(raw) as [Factor, number][]) {
    const cap = policy.factorCaps[factor] ?? 100;
    factors[factor] = { points: Math.min(points, cap), capped: points > cap };
    total += Math.min(points, cap);
  }
  const s = Math.max(0, Math.min(100, Math.round(total)));
  return { score: s, decision: decide(policy, s), contributions, factors };
}

export interface ReplayItem {
  id: string;
  decision: Decision;
  score: number;
  fired: readonly Fired[];
}

export interface ReplayResult {
  evaluated: number;
  changed: number;
  transitions: Record<string, number>;
  examples: { id: string; from: Decision; to: Decision; score: number; newScore: number }[];
}

/** Re-scores stored assessments under another policy and counts the decisions that would change. */
export function replay(items: Iterable<ReplayItem>, policy: RiskPolicy, maxExamples = 20): ReplayResult {
  const out: ReplayResult = { evaluated: 0, changed: 0, transitions: {}, examples: [] };
  for (const it of items) {
    out.evaluated++;
    const s = score(it.fired, policy);
    if (s.decision === it.decision) continue;
    out.changed++;
    const key = `${it.decision}->${s.decision}`;
    out.transitions[key] = (out.transitions[key] ?? 0) + 1;
    if (out.examples.length < maxExamples)
      out.examples.push({ id: it.id, from: it.decision, to: s.decision, score: it.score, newScore: s.score });
  }
  return out;
}
