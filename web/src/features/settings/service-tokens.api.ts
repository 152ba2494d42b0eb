import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export interface ServiceToken {
  id: string;
  name: string;
  scopes: string[];
  allowedCidrs: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The scopes a service token can carry; ingestion only, for now. */
export const serviceScopes = [{ value: 'records.write', label: 'records.write: add records (ingestion)' }] as const;

const key = ['settings', 'service-tokens'] as const;

export function useServiceTokens() {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<{ items: ServiceToken[] }>('/api/v1/service-tokens', undefined, signal),
  });
}

export function useCreateServiceToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; scopes: string[]; allowedCidrs: string[]; expiresAt?: string }) =>
      api.post<{ id: string; token: string }>('/api/v1/service-tokens', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useRevokeServiceToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/v1/service-tokens/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}
