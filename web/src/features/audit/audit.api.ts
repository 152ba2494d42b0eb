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
  | {
      valid: true;
      entries: number;
      head: { seq: number; hash: string } | string | null;
      checkpoints?: number;
      tombstones?: number;
      /** Entries 1…n were pruned by retention under signed tombstones. */
      prunedThrough?: number;
    }
  | { valid: false; firstBadSeq: number; reason: string; entries?: number };

/** A signed checkpoint exactly as the server files and mails it (save it to check a bundle against it). */
export interface SignedCheckpoint {
  body: { format: string; treeSize: number; rootHash: string; headHash: string; at: string; keyId: string };
  signature: string;
  publicKey: string;
  consistency: { from: number; path: string[] } | null;
  fingerprint: string;
}

export interface AuditStatus {
  head: { seq: number; hash: string } | null;
  pending: number;
  oldestPendingMs: number | null;
  latestCheckpoint: SignedCheckpoint | null;
  retention: { days: number; cutoff: string; prunedThrough: number; lastPrunedAt: string | null };
  checkpointEmail: boolean;
}

export interface AuditEventFilters {
  action: string;
  outcome: string;
  /** An actor id (user, service token…), matched exactly. */
  actorId: string;
  /** ISO instants: entries at or after `from`, before `to`. */
  from: string;
  to: string;
}

export const AUDIT_PAGE_SIZE = 50;

/**
 * Newest first, paged by `before` = seq; the server filters (action exactly, outcome by value). Reading the
 * log is itself audited (`audit.log.read`), so pages are fetched on demand and never on window focus.
 */
export function useAuditEvents({ action, outcome, actorId, from, to }: AuditEventFilters) {
  return useInfiniteQuery({
    queryKey: ['audit', 'events', { action, outcome, actorId, from, to }],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditEventsPage>(
        '/api/v1/audit/events',
        { action, outcome, actorId, from, to, limit: AUDIT_PAGE_SIZE, before: pageParam },
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

/** The latest signed checkpoint (fingerprint), the integrator lag and the retention state; cheap, so kept fresh. */
export function useAuditStatus() {
  return useQuery({
    queryKey: ['audit', 'status'],
    queryFn: ({ signal }) => api.poll<AuditStatus>('/api/v1/audit/status', undefined, signal),
    refetchInterval: 15_000,
  });
}

/** Where the browser downloads the bundle from: a plain GET with the session cookie, streamed to disk. */
export const AUDIT_EXPORT_URL = '/api/v1/audit/export';
