import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../lib/api-client.ts';
import type { RevealPurpose } from './purposes.ts';
import type { RecordSearch } from './search-filters.ts';

/** One search hit: masked values only (`p***@l***.example`, `•••••••42`), never a full value. */
export interface MaskedRecord {
  id: string;
  ownerId: string;
  masked: Record<string, string>;
}

export interface RevealedRecord {
  id: string;
  ownerId: string;
  fields: Record<string, string>;
  revealedAt: string;
}

export interface Canary {
  id: string;
  ownerId: string;
  createdAt: string;
  shredded: boolean;
}

/** The server answers at most this many hits, and never says how many there are in all. */
export const SEARCH_LIMIT = 25;

/**
 * Masked search. Each call is audited (`vault.record.searched`), so a result is fetched once per search and
 * dropped when the page is left (`gcTime: 0`): coming back searches again rather than showing stale data.
 */
export function useRecordSearch(search: RecordSearch | null) {
  return useQuery({
    queryKey: ['vault', 'records', 'search', search],
    queryFn: ({ signal }) =>
      api.get<{ items: MaskedRecord[] }>(
        '/api/v1/records',
        search ? { [search.mode]: search.term, ownerId: search.ownerId } : undefined,
        signal,
      ),
    enabled: search !== null,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
}

export interface RevealInput {
  id: string;
  purpose: RevealPurpose;
  justification: string;
}

/**
 * One record in clear (DAT-04). A mutation, not a query: it is an audited act, never retried or refetched by
 * the cache, and `gcTime: 0` drops the answer from TanStack's mutation cache as soon as the dialog resets it.
 */
export function useReveal() {
  return useMutation({
    mutationFn: ({ id, purpose, justification }: RevealInput) =>
      api.post<RevealedRecord>(`/api/v1/records/${encodeURIComponent(id)}/reveal`, { purpose, justification }),
    gcTime: 0,
    retry: false,
  });
}

/** A fresh second factor inside the session (reveals need one from the last few minutes). */
export function useStepUpCode() {
  return useMutation({
    mutationFn: (code: string) => api.post<{ mfaAt: string }>('/api/v1/auth/step-up', { method: 'totp', code }),
    gcTime: 0,
  });
}

const canariesKey = ['vault', 'canaries'] as const;

export function useCanaries() {
  return useQuery({
    queryKey: canariesKey,
    queryFn: ({ signal }) => api.get<{ items: Canary[] }>('/api/v1/canaries', undefined, signal),
  });
}

export function usePlantCanary() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ownerId: string) => api.post<{ id: string }>('/api/v1/canaries', { ownerId }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: canariesKey });
      // the owner's record count includes the canary
      await queryClient.invalidateQueries({ queryKey: ['vault', 'owners'] });
    },
  });
}

export interface IngestProgress {
  id: string;
  status: string;
  format: string;
  lines: number;
  accepted: number;
  rejected: number;
  bytes: number;
  sha256: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/**
 * Progress of an upload while it runs, every 500 ms. Until the server has read the first bytes there is no
 * such upload yet (404 `vault.ingest_not_found`): that is "starting", not an error.
 */
export function useIngestProgress(ingestId: string | null, polling: boolean) {
  return useQuery({
    queryKey: ['vault', 'ingests', ingestId],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<IngestProgress>(
          `/api/v1/ingests/${encodeURIComponent(ingestId ?? '')}`,
          undefined,
          signal,
        );
      } catch (error) {
        if (isApiError(error) && error.code === 'vault.ingest_not_found') return null;
        throw error;
      }
    },
    enabled: ingestId !== null,
    refetchInterval: polling ? 500 : false,
    refetchIntervalInBackground: true,
    gcTime: 0,
  });
}
