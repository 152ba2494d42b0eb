/**
 * Detection and response (LOG-04/05/06, NET-02, INC-03): alerts, blocked addresses, rules with replay,
 * lock-down and alert webhooks. Shapes follow `src/modules/detection/detection.routes.ts`.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAccess } from '../../app/permissions.ts';
import { api } from '../../lib/api-client.ts';
import type { UserSummary } from '../users/users.api.ts';

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

export const alertStatuses = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof alertStatuses)[number];

export const responseKinds = ['alert', 'step_up', 'end_sessions', 'lock_account', 'block_ip', 'lockdown'] as const;
export type ResponseKind = (typeof responseKinds)[number];

export interface Alert {
  id: string;
  rule: string;
  ruleVersion: number;
  severity: Severity | string;
  status: AlertStatus | string;
  /** A user id, or an IP address as the audit log's keyed hash (no personal data in an alert). */
  subject: { type: string; id: string };
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  notifiedTimes: number;
  /** The newest signed audit checkpoint when the alert was raised: "<tree size>:<root>". */
  checkpoint: string | null;
  responses: string[];
  /** What was observed against which limit, in words ("3 hits in 300 s (threshold 3)"). */
  explanation: string | null;
}

export interface TimelineEntry {
  seq: string;
  at: string;
  action: string;
  outcome: string;
  actorId: string | null;
  target: { type: string; id: string | null } | null;
  /** The audit entry that made the rule fire. */
  trigger: boolean;
}

export interface AlertDetail extends Alert {
  title: string;
  point: string | null;
  observed: number | null;
  limit: number | null;
  timeline: TimelineEntry[];
}

export interface AlertSummaryRow {
  status: string;
  severity: string;
  count: number;
}

export interface AlertFilters {
  /** One of the statuses, `unresolved` (open and acknowledged) or '' for any. */
  status: string;
  severity: string;
  rule: string;
}

export interface BlockedIp {
  id: string;
  ipHash: string;
  rule: string;
  /** The n-th block of this address: 1 h, 4 h, 24 h, then 7 days. */
  level: number;
  createdAt: string;
  expiresAt: string;
  active: boolean;
}

export type Detector =
  | { kind: 'count'; groupBy: 'actor' | 'ip' | 'target'; windowSeconds: number; threshold: number; distinct?: 'target' }
  | {
      kind: 'baseline';
      bucketSeconds: number;
      historyDays: number;
      minSamples: number;
      deviations: number;
      minimum: number;
      hardCap: number;
    }
  | { kind: 'enumeration'; windowSeconds: number; minReveals: number; ratio: number };

export interface Rule {
  id: string;
  version: number;
  title: string;
  point: string;
  actions: string[];
  match?: Record<string, (string | number | boolean | null)[]>;
  contains?: { key: string; value: string };
  detector: Detector;
  responses: ResponseKind[];
  severity: Severity;
  enabled: boolean;
  mode: 'enforce' | 'monitor';
}

export interface RuleVersion {
  version: number;
  settings: Record<string, unknown>;
  weakened: boolean;
  changedBy: string | null;
  changedAt: string | null;
}

export interface RuleDetail extends Rule {
  history: RuleVersion[];
}

/** What may be changed on a rule; detector fields only where they fit its kind. */
export interface RuleSettings {
  enabled?: boolean;
  mode?: 'enforce' | 'monitor';
  severity?: Severity;
  responses?: ResponseKind[];
  windowSeconds?: number;
  threshold?: number;
  deviations?: number;
  minimum?: number;
  hardCap?: number;
  minReveals?: number;
  ratio?: number;
}

export interface ReplayResult {
  days: number;
  events: number;
  /** The replay stopped at its event cap: the counts are a lower bound. */
  truncated: boolean;
  wouldFire: number;
  subjects: number;
  byDay: { day: string; fires: number }[];
}

export interface ReplayAnswer {
  current: ReplayResult;
  proposed: ReplayResult;
  rule: Rule;
}

export interface LockdownState {
  active: boolean;
  id?: string;
  engagedAt?: string;
  engagedBy?: string | null;
  engagedByRule?: string | null;
  reason?: 'manual' | 'rule';
  alertId?: string | null;
  liftRequestedBy?: string | null;
  liftRequestedAt?: string | null;
  liftedBy?: string | null;
  liftedAt?: string | null;
}

export interface Webhook {
  id: string;
  name: string;
  url: string;
  minSeverity: Severity;
  createdBy: string;
  createdAt: string;
}

const keys = {
  alerts: ['alerts'] as const,
  blocks: ['detection', 'blocked-ips'] as const,
  rules: ['detection', 'rules'] as const,
  lockdown: ['lockdown'] as const,
  webhooks: ['detection', 'webhooks'] as const,
};

const enc = encodeURIComponent;

// --- Alerts ---

/** The newest this many; older ones are reached by filtering. */
export const ALERTS_LIMIT = 200;

export function useAlerts(filters: AlertFilters) {
  return useQuery({
    queryKey: [...keys.alerts, 'list', filters],
    queryFn: async ({ signal }) => {
      if (filters.status !== 'unresolved')
        return api.get<{ items: Alert[] }>('/api/v1/alerts', { ...filters, limit: ALERTS_LIMIT }, signal);
      // The server filters on one status: ask for both unresolved ones and merge, newest first.
      const [open, acknowledged] = await Promise.all(
        (['open', 'acknowledged'] as const).map((status) =>
          api.get<{ items: Alert[] }>('/api/v1/alerts', { ...filters, status, limit: ALERTS_LIMIT }, signal),
        ),
      );
      const items = [...(open?.items ?? []), ...(acknowledged?.items ?? [])].sort((a, b) =>
        b.createdAt.localeCompare(a.createdAt),
      );
      return { items: items.slice(0, ALERTS_LIMIT) };
    },
    placeholderData: keepPreviousData,
    // A queue people watch: new alerts appear without a reload.
    refetchInterval: 30_000,
  });
}

/** Unresolved alerts per status and severity; asked only by people who may read alerts (a refusal counts). */
export function useAlertSummary() {
  const { holds } = useAccess();
  return useQuery({
    queryKey: [...keys.alerts, 'summary'],
    queryFn: ({ signal }) => api.poll<{ items: AlertSummaryRow[] }>('/api/v1/alerts/summary', undefined, signal),
    enabled: holds('alerts.read'),
    refetchInterval: 30_000,
  });
}

/** The nav badge: alerts nobody has acknowledged yet. */
export function useOpenAlertsCount(): number {
  const { data } = useAlertSummary();
  return (data?.items ?? []).filter((r) => r.status === 'open').reduce((n, r) => n + r.count, 0);
}

export function useAlert(id: string) {
  return useQuery({
    queryKey: [...keys.alerts, 'detail', id],
    queryFn: ({ signal }) => api.get<AlertDetail>(`/api/v1/alerts/${enc(id)}`, undefined, signal),
  });
}

function useInvalidate(...roots: (readonly string[])[]) {
  const queryClient = useQueryClient();
  return () => Promise.all(roots.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

export function useAcknowledgeAlert() {
  const invalidate = useInvalidate(keys.alerts);
  return useMutation({
    mutationFn: (id: string) => api.post<Alert>(`/api/v1/alerts/${enc(id)}/acknowledge`),
    onSuccess: invalidate,
  });
}

export function useResolveAlert() {
  const invalidate = useInvalidate(keys.alerts);
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      api.post<Alert>(`/api/v1/alerts/${enc(id)}/resolve`, { note }),
    onSuccess: invalidate,
  });
}

// --- Blocked addresses and locked accounts ---

export function useBlockedIps() {
  return useQuery({
    queryKey: keys.blocks,
    queryFn: ({ signal }) => api.get<{ items: BlockedIp[] }>('/api/v1/blocked-ips', undefined, signal),
    refetchInterval: 60_000,
  });
}

export function useLiftBlock() {
  const invalidate = useInvalidate(keys.blocks);
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/v1/blocked-ips/${enc(id)}`),
    onSuccess: invalidate,
  });
}

/** Locked accounts, for people who may list users (the unlock itself is on the user's page). */
export function useLockedUsers() {
  const { holds } = useAccess();
  return useQuery({
    queryKey: ['users', 'list', { status: 'locked', page: 1, limit: 200 }],
    queryFn: ({ signal }) =>
      api.get<{ items: UserSummary[] }>('/api/v1/users', { status: 'locked', limit: 200 }, signal),
    enabled: holds('users.read'),
  });
}

// --- Rules ---

export function useRules(enabled = true) {
  return useQuery({
    queryKey: keys.rules,
    queryFn: ({ signal }) => api.get<{ items: Rule[] }>('/api/v1/detection/rules', undefined, signal),
    enabled,
    staleTime: 30_000,
  });
}

export function useRule(id: string | null) {
  return useQuery({
    queryKey: [...keys.rules, 'detail', id],
    queryFn: ({ signal }) => api.get<RuleDetail>(`/api/v1/detection/rules/${enc(id ?? '')}`, undefined, signal),
    enabled: id !== null,
  });
}

export function useUpdateRule() {
  const invalidate = useInvalidate(keys.rules, keys.alerts);
  return useMutation({
    mutationFn: ({ id, settings }: { id: string; settings: RuleSettings }) =>
      api.patch<Rule>(`/api/v1/detection/rules/${enc(id)}`, settings),
    onSuccess: invalidate,
  });
}

export function useReplayRule() {
  return useMutation({
    mutationFn: ({ id, settings, days = 30 }: { id: string; settings: RuleSettings; days?: number }) =>
      api.post<ReplayAnswer>(`/api/v1/detection/rules/${enc(id)}/replay`, { settings, days }),
  });
}

// --- Lock-down ---

/** Every signed-in page shows the banner while a lock-down is in force: asked every 15 s while the tab shows. */
export function useLockdown(enabled = true) {
  return useQuery({
    queryKey: keys.lockdown,
    queryFn: ({ signal }) => api.poll<LockdownState>('/api/v1/lockdown', undefined, signal),
    enabled,
    refetchInterval: 15_000,
    retry: false,
  });
}

export function useLockdownHistory() {
  return useQuery({
    queryKey: [...keys.lockdown, 'history'],
    queryFn: ({ signal }) => api.get<{ items: LockdownState[] }>('/api/v1/lockdown/history', undefined, signal),
  });
}

export function useEngageLockdown() {
  const invalidate = useInvalidate(keys.lockdown, keys.alerts);
  return useMutation({
    mutationFn: () => api.post<LockdownState>('/api/v1/lockdown'),
    onSuccess: invalidate,
  });
}

export function useLiftLockdown() {
  const invalidate = useInvalidate(keys.lockdown);
  return useMutation({
    mutationFn: () => api.post<LockdownState>('/api/v1/lockdown/lift'),
    onSuccess: invalidate,
  });
}

// --- Webhooks ---

export function useWebhooks() {
  return useQuery({
    queryKey: keys.webhooks,
    queryFn: ({ signal }) => api.get<{ items: Webhook[] }>('/api/v1/webhooks', undefined, signal),
  });
}

export function useCreateWebhook() {
  const invalidate = useInvalidate(keys.webhooks);
  return useMutation({
    mutationFn: (input: { name: string; url: string; minSeverity: Severity }) =>
      api.post<{ id: string; secret: string }>('/api/v1/webhooks', input),
    onSuccess: invalidate,
  });
}

export function useDeleteWebhook() {
  const invalidate = useInvalidate(keys.webhooks);
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/v1/webhooks/${enc(id)}`),
    onSuccess: invalidate,
  });
}
