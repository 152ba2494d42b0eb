import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export type Decision = 'allow' | 'step_up' | 'deny';
export type Stage = 'login' | 'reveal';

export interface IndicatorExplanation {
  id: string;
  factor: string;
  weight: number;
  strength: number;
  /** weight × strength, before the factor cap */
  points: number;
  evidence: Record<string, string | number | boolean | null>;
}

export interface Assessment {
  id: string;
  at: string;
  stage: Stage;
  userId: string;
  sessionId: string | null;
  requestId: string | null;
  ipHash: string | null;
  country: string | null;
  asn: number | null;
  client: string;
  score: number;
  decision: Decision;
  outcome: 'allowed' | 'challenged' | 'step_up_satisfied' | 'denied' | 'monitored';
  enforced: boolean;
  methods: string[] | null;
  thresholds: { stepUp: number; deny: number };
  indicators: IndicatorExplanation[];
}

export interface IndicatorSpec {
  id: string;
  factor: string;
  weight: number;
  defaultWeight: number;
  stages: Stage[];
  description: string;
  source: string;
}

export interface RiskPolicy {
  mode: 'enforce' | 'monitor' | 'off';
  stepUp: number;
  deny: number;
  factorCaps: Record<string, number>;
}

export interface ListInfo {
  list: 'tor' | 'threat';
  entries: number;
  sha256: string;
  importedAt: string;
  importedBy: string | null;
  via: 'api' | 'cli';
}

export interface ImportResult {
  list: 'tor' | 'threat';
  entries: number;
  rejectedCount: number;
  rejected: { line: number; reason: string }[];
  sha256: string;
  replaced: boolean;
}

export interface ReplayInput {
  stepUp?: number;
  deny?: number;
  weights?: Record<string, number>;
  days?: number;
}

export interface ReplayResult {
  days: number;
  evaluated: number;
  changed: number;
  transitions: Record<string, number>;
  examples: { id: string; from: Decision; to: Decision; score: number; newScore: number }[];
}

export interface AssessmentFilters {
  decision?: string | undefined;
  stage?: string | undefined;
  userId?: string | undefined;
  requestId?: string | undefined;
}

export function useAssessments(filters: AssessmentFilters, limit = 100) {
  return useQuery({
    queryKey: ['risk', 'assessments', filters, limit],
    queryFn: ({ signal }) =>
      api.get<{ items: Assessment[] }>('/api/v1/risk/assessments', { ...filters, limit }, signal),
  });
}

export function useIndicators() {
  return useQuery({
    queryKey: ['risk', 'indicators'],
    queryFn: ({ signal }) =>
      api.get<{ items: IndicatorSpec[]; policy: RiskPolicy }>('/api/v1/risk/indicators', undefined, signal),
    staleTime: 60_000,
  });
}

export function useRiskLists() {
  return useQuery({
    queryKey: ['risk', 'lists'],
    queryFn: ({ signal }) => api.get<{ items: ListInfo[] }>('/api/v1/risk/lists', undefined, signal),
  });
}

export function useImportList() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { list: 'tor' | 'threat'; content: string }) =>
      api.put<ImportResult>(`/api/v1/risk/lists/${v.list}`, { content: v.content }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['risk', 'lists'] }),
  });
}

export function useReplay() {
  return useMutation({ mutationFn: (v: ReplayInput) => api.post<ReplayResult>('/api/v1/risk/replay', v) });
}

export const decisionColor: Record<Decision, string> = { allow: 'teal', step_up: 'yellow', deny: 'red' };
export const decisionLabel: Record<Decision, string> = { allow: 'Allow', step_up: 'Step-up', deny: 'Deny' };
export const outcomeLabel: Record<Assessment['outcome'], string> = {
  allowed: 'allowed',
  challenged: 'step-up asked',
  step_up_satisfied: 'step-up given',
  denied: 'refused',
  monitored: 'monitor only',
};
export const factorLabel: Record<string, string> = {
  ip: 'Risky IP address',
  geo: 'Geography',
  device: 'Device and client',
  behaviour: 'Behaviour',
  account: 'Account',
  session: 'Session anomalies',
  reveal: 'Reveal behaviour',
};
