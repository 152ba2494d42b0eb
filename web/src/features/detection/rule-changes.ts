/**
 * A rule's editable settings, what a draft changes, and whether the change weakens detection: the same test
 * the server applies (`isWeakening` in src/modules/detection/rules.ts), in words, so the screen can warn before
 * saving. The server decides; a weakening change raises a "security setting weakened" alert there.
 */
import type { Detector, ResponseKind, Rule, RuleSettings, Severity } from './detection.api.ts';
import { responseKinds, severities } from './detection.api.ts';
import { formatSeconds, responseInfo, severityInfo } from './detection-display.tsx';

export type DetectorField =
  | 'windowSeconds'
  | 'threshold'
  | 'deviations'
  | 'minimum'
  | 'hardCap'
  | 'minReveals'
  | 'ratio';

/** The fields that fit each detector kind (others are refused with 400). */
export const detectorFields: Record<Detector['kind'], readonly DetectorField[]> = {
  count: ['windowSeconds', 'threshold'],
  baseline: ['deviations', 'minimum', 'hardCap'],
  enumeration: ['windowSeconds', 'minReveals', 'ratio'],
};

export interface FieldSpec {
  label: string;
  description: string;
  min: number;
  max: number;
  step: number;
  decimals?: number;
  /** Raising it detects less (true) or more (false). */
  raiseWeakens: boolean;
  format: (v: number) => string;
}

export const fieldSpecs: Record<DetectorField, FieldSpec> = {
  windowSeconds: {
    label: 'Window (seconds)',
    description: 'How far back hits are counted. A shorter window detects less.',
    min: 10,
    max: 30 * 86_400,
    step: 60,
    raiseWeakens: false,
    format: formatSeconds,
  },
  threshold: {
    label: 'Threshold (hits)',
    description: 'Hits in the window that make the rule fire. A higher threshold detects less.',
    min: 1,
    max: 100_000,
    step: 1,
    raiseWeakens: true,
    format: String,
  },
  deviations: {
    label: 'Deviations above the baseline',
    description: "How far above the user's own mean (in standard deviations) counts as unusual.",
    min: 0.5,
    max: 10,
    step: 0.5,
    decimals: 1,
    raiseWeakens: true,
    format: (v) => `${v} sd`,
  },
  minimum: {
    label: 'Minimum (per bucket)',
    description: 'Never fires below this many, however quiet the baseline.',
    min: 1,
    max: 100_000,
    step: 1,
    raiseWeakens: true,
    format: String,
  },
  hardCap: {
    label: 'Hard cap (per bucket)',
    description: 'Always fires at this many, whatever the baseline.',
    min: 1,
    max: 1_000_000,
    step: 1,
    raiseWeakens: true,
    format: String,
  },
  minReveals: {
    label: 'Minimum reveals',
    description: 'Reveals in the window before the pattern counts.',
    min: 2,
    max: 1000,
    step: 1,
    raiseWeakens: true,
    format: String,
  },
  ratio: {
    label: 'Share of search hits revealed',
    description: 'From 0.1 to 1: the part of the search results that were revealed one by one.',
    min: 0.1,
    max: 1,
    step: 0.05,
    decimals: 2,
    raiseWeakens: true,
    format: (v) => `${Math.round(v * 100)}%`,
  },
};

export interface RuleDraft {
  enabled: boolean;
  mode: 'enforce' | 'monitor';
  severity: Severity;
  responses: ResponseKind[];
  fields: Partial<Record<DetectorField, number>>;
}

export function draftOf(rule: Rule): RuleDraft {
  const d = rule.detector as unknown as Record<string, number>;
  const fields: Partial<Record<DetectorField, number>> = {};
  for (const f of detectorFields[rule.detector.kind]) fields[f] = d[f];
  return {
    enabled: rule.enabled,
    mode: rule.mode,
    severity: rule.severity,
    responses: [...rule.responses],
    fields,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Only what the draft changes: the PATCH body (and the replay's proposed settings). */
export function changedSettings(rule: Rule, draft: RuleDraft): RuleSettings {
  const out: RuleSettings = {};
  if (draft.enabled !== rule.enabled) out.enabled = draft.enabled;
  if (draft.mode !== rule.mode) out.mode = draft.mode;
  if (draft.severity !== rule.severity) out.severity = draft.severity;
  if (!sameSet(draft.responses, rule.responses))
    out.responses = responseKinds.filter((r) => draft.responses.includes(r));
  const current = draftOf(rule).fields;
  for (const f of detectorFields[rule.detector.kind]) {
    const v = draft.fields[f];
    if (v !== undefined && v !== current[f]) out[f] = v;
  }
  return out;
}

/** Each way the change detects or responds less, in words; empty when it does not weaken. */
export function weakeningReasons(rule: Rule, s: RuleSettings): string[] {
  const reasons: string[] = [];
  if (rule.enabled && s.enabled === false)
    reasons.push('The rule is switched off: nothing it watches raises an alert.');
  if (rule.mode === 'enforce' && s.mode === 'monitor')
    reasons.push('Monitor mode: hits are only recorded; no alert and no response.');
  if (s.severity && severities.indexOf(s.severity) < severities.indexOf(rule.severity))
    reasons.push(`Severity lowered from ${severityInfo[rule.severity]?.label} to ${severityInfo[s.severity]?.label}.`);
  if (s.responses) {
    const removed = rule.responses.filter((r) => !s.responses?.includes(r));
    if (removed.length)
      reasons.push(`Responses removed: ${removed.map((r) => responseInfo[r]?.rule ?? r).join(', ')}.`);
  }
  const d = rule.detector as unknown as Record<string, number>;
  for (const f of detectorFields[rule.detector.kind]) {
    const next = s[f];
    const prev = d[f];
    if (next === undefined || prev === undefined || next === prev) continue;
    const spec = fieldSpecs[f];
    const up = next > prev;
    if (up === spec.raiseWeakens)
      reasons.push(
        `${spec.label.replace(/ \(.*\)$/, '')} ${up ? 'raised' : 'lowered'} from ${spec.format(prev)} to ${spec.format(next)}.`,
      );
  }
  return reasons;
}

/** A version's stored settings in words: "threshold 5, responses Alert, Lock account". */
export function describeSettings(settings: Record<string, unknown>): string {
  const parts = Object.entries(settings).map(([k, v]) => {
    if (k === 'responses' && Array.isArray(v))
      return `responses ${v.map((r) => responseInfo[r as ResponseKind]?.rule ?? String(r)).join(', ') || 'none'}`;
    if (k === 'enabled') return v ? 'enabled' : 'disabled';
    if (k === 'mode') return v === 'monitor' ? 'monitor mode' : 'enforce mode';
    if (k === 'severity') return `severity ${severityInfo[String(v)]?.label ?? String(v)}`;
    const spec = fieldSpecs[k as DetectorField];
    if (spec && typeof v === 'number') return `${spec.label.replace(/ \(.*\)$/, '').toLowerCase()} ${spec.format(v)}`;
    return `${k} ${JSON.stringify(v)}`;
  });
  return parts.length ? parts.join(' · ') : 'The built-in defaults';
}
