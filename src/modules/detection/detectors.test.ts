/** The detector judgements shared by the live engine and replay (LOG-04): baselines, counts, enumeration. */
import { describe, expect, it } from 'vitest';
import { judgeBaseline, judgeCount, judgeEnumeration } from './detectors.ts';
import { applySettings, defaultRules, isWeakening, matches, misfitSettings } from './rules.ts';

const baseline = {
  kind: 'baseline',
  bucketSeconds: 3600,
  historyDays: 14,
  minSamples: 8,
  deviations: 3,
  minimum: 10,
  hardCap: 60,
} as const;

describe('baseline (a user against their own history)', () => {
  it('LOG-04: a steady user is judged against mean + 3·sd of their own active hours', () => {
    const history = [20, 22, 18, 21, 19, 20, 23, 17]; // mean 20, sd ≈ 2.07
    expect(judgeBaseline(baseline, history, 26).fires).toBe(false);
    const j = judgeBaseline(baseline, history, 27);
    expect(j.fires).toBe(true);
    expect(j.limit).toBe(27);
    expect(j.basis).toContain('own baseline');
  });

  it('LOG-04: the floor keeps a light user from alerting on a handful of reveals', () => {
    const history = [1, 1, 2, 1, 1, 1, 2, 1];
    expect(judgeBaseline(baseline, history, 10).fires).toBe(false);
    expect(judgeBaseline(baseline, history, 11).fires).toBe(true);
  });

  it('LOG-04: without enough history only the hard cap applies; the cap applies whatever the history', () => {
    expect(judgeBaseline(baseline, [5, 5, 5], 59).fires).toBe(false);
    expect(judgeBaseline(baseline, [5, 5, 5], 60).fires).toBe(true);
    const heavy = [50, 55, 58, 52, 57, 54, 56, 53];
    expect(judgeBaseline(baseline, heavy, 60).fires).toBe(true);
  });
});

describe('count and enumeration', () => {
  it('counts hits, or distinct targets', () => {
    const d = { kind: 'count', groupBy: 'ip', windowSeconds: 60, threshold: 3 } as const;
    expect(judgeCount(d, [{ targetId: 'a' }, { targetId: 'a' }, { targetId: 'a' }]).fires).toBe(true);
    expect(
      judgeCount({ ...d, distinct: 'target' }, [{ targetId: 'a' }, { targetId: 'a' }, { targetId: 'b' }]).fires,
    ).toBe(false);
  });

  it('enumeration needs many reveals covering most hits with several reveals per search', () => {
    const d = { kind: 'enumeration', windowSeconds: 900, minReveals: 5, ratio: 0.8 } as const;
    expect(judgeEnumeration(d, 8, 1, 10).fires).toBe(true);
    expect(judgeEnumeration(d, 7, 1, 10).fires).toBe(false); // 70 %
    // a busy analyst: one search, one reveal, eight times over
    expect(judgeEnumeration(d, 8, 8, 8).fires).toBe(false);
  });
});

describe('rules as data', () => {
  const rule = defaultRules.find((r) => r.id === 'unauthorized-calls');
  if (!rule) throw new Error('missing rule');

  it('LOG-05: a lapsed elevation is not counted; a permission refusal and a refused network are', () => {
    expect(matches(rule, { permission: 'users.read', route: '/x' })).toBe(true);
    expect(matches(rule, { reason: 'ip', window: null })).toBe(true);
    expect(matches(rule, { reason: 'quota', window: 'minute' })).toBe(false);
  });

  it('tells weakening from tightening changes, and refuses settings that do not fit the detector', () => {
    expect(isWeakening(rule, applySettings(rule, { threshold: 5 }, 2))).toBe(true);
    expect(isWeakening(rule, applySettings(rule, { threshold: 2 }, 2))).toBe(false);
    expect(isWeakening(rule, applySettings(rule, { responses: ['alert'] }, 2))).toBe(true);
    expect(isWeakening(rule, applySettings(rule, { mode: 'monitor' }, 2))).toBe(true);
    expect(isWeakening(rule, applySettings(rule, { severity: 'critical' }, 2))).toBe(false);
    expect(misfitSettings(rule, { hardCap: 3 })).toEqual(['hardCap']);
  });

  it('ships at least the detection points the policy names, each documented', () => {
    const ids = defaultRules.map((r) => r.id);
    for (const id of [
      'unauthorized-calls',
      'failed-logins-per-ip',
      'failed-logins-per-account',
      'many-accounts-per-ip',
      'request-rate',
      'retrieval-volume',
      'enumeration',
      'canary-touched',
      'impossible-travel',
      'new-country',
      'unusual-hour',
      'dormant-account',
      'session-ip-changed',
      'session-device-changed',
      'audit-verification-failed',
      'audit-heartbeat-missing',
      'security-weakened',
    ])
      expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
