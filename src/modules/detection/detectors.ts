/**
 * The judgement of each detector kind, as pure functions over the hits they are given, so the live engine
 * (which reads the window from the audit log) and the 30-day replay (which slides over stored events) decide
 * exactly alike.
 */
import type { BaselineDetector, CountDetector, EnumerationDetector } from './rules.ts';

export interface Judgement {
  fires: boolean;
  /** What was observed and what it was compared with: the alert's explanation. */
  observed: number;
  limit: number;
  basis: string;
}

export function judgeCount(d: CountDetector, hits: readonly { targetId: string | null }[]): Judgement {
  const observed = d.distinct ? new Set(hits.map((h) => h.targetId ?? '')).size : hits.length;
  return {
    fires: observed >= d.threshold,
    observed,
    limit: d.threshold,
    basis: `${observed} ${d.distinct ? 'different accounts' : 'hits'} in ${d.windowSeconds} s (threshold ${d.threshold})`,
  };
}

/**
 * `history` is the user's count per past bucket in which they were active (the current bucket excluded);
 * `current` the count in the bucket now.
 */
export function judgeBaseline(d: BaselineDetector, history: readonly number[], current: number): Judgement {
  const samples = history.length;
  const mean = samples ? history.reduce((a, b) => a + b, 0) / samples : 0;
  const sd = samples > 1 ? Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples - 1)) : 0;
  const baseline = samples >= d.minSamples ? Math.max(d.minimum, Math.ceil(mean + d.deviations * sd)) : null;
  const limit = baseline === null ? d.hardCap : Math.min(baseline + 1, d.hardCap);
  const fires = current >= limit;
  return {
    fires,
    observed: current,
    limit,
    basis:
      baseline === null
        ? `${current} this hour; too little history (${samples}/${d.minSamples} active hours), hard cap ${d.hardCap}`
        : `${current} this hour vs own baseline mean ${mean.toFixed(1)} + ${d.deviations}·sd ${sd.toFixed(1)} over ${samples} active hours (limit ${limit}, hard cap ${d.hardCap})`,
  };
}

/**
 * Walking through search results: many reveals, covering most of what the searches returned, with several
 * reveals per search. Someone answering one request per search (search an email, reveal that one record) has
 * as many searches as reveals and never fires this, however busy they are.
 */
export function judgeEnumeration(d: EnumerationDetector, reveals: number, searches: number, hits: number): Judgement {
  const coverage = hits ? reveals / hits : 0;
  const fires = reveals >= d.minReveals && hits > 0 && coverage >= d.ratio && reveals >= 2 * searches;
  return {
    fires,
    observed: reveals,
    limit: d.minReveals,
    basis: `${reveals} reveals after ${searches} searches returning ${hits} hits (coverage ${(coverage * 100).toFixed(0)} %, needs ≥ ${d.minReveals} reveals, ≥ ${Math.round(d.ratio * 100)} % coverage and ≥ 2 reveals per search)`,
  };
}
