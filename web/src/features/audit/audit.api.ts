import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export interface AuditEvent {
  seq: number;
  at: string;
  action: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  /** Extras the server sends beyond the contract: keyed hash of the IP, the request id, the entry hash. */
  ipHash?: string | null;
  requestId?: string | null;
  hash?: string;
}

export interface AuditEventsPage {
  items: AuditEvent[];
  /** The `before` value for the next (older) page; null or absent at the start of the log. */
  nextBefore?: number | null;
}

export type AuditVerifyResult =
  | { valid: true; entries: number; head: { seq: number; hash: string } | string | null }
  | { valid: false; firstBadSeq: number; reason: string; entries?: number };

export interface AuditEventFilters {
  action: string;
  outcome: string;
}

export const AUDIT_PAGE_SIZE = 50;

/**
 * Newest first, paged by `before` = seq; the server filters (action exactly, outcome by value). Reading the
 * log is itself audited (`audit.log.read`), so pages are fetched on demand and never on window focus.
 */
export function useAuditEvents({ action, outcome }: AuditEventFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', 'events', { action, outcome }],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditEventsPage>(
        '/api/v1/audit/events',
        { action, outcome, limit: AUDIT_PAGE_SIZE, before: pageParam },
        signal,
      ),
    getNextPageParam: (last) => nextBeforeOf(last),
  });
}

/** Uses the server's `nextBefore`; if absent, a full page implies more and the oldest seq is the cursor. */
export function nextBeforeOf(page: AuditEventsPage): number | undefined {
  if (page.nextBefore !== undefined) return page.nextBefore ?? undefined;
  const oldest = page.items.at(-1);
  return page.items.length >= AUDIT_PAGE_SIZE && oldest ? oldest.seq : undefined;
}

/** Recomputes the hash chain on the server; run on request only, since it reads the whole log. */
export function useAuditVerify(enabled: boolean) {
  return useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: ({ signal }) => api.get<AuditVerifyResult>('/api/v1/audit/verify', undefined, signal),
    enabled,
    staleTime: 0,
  });
}
