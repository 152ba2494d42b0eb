import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export interface AllowlistEntry {
  id: string;
  cidr: string;
  /** Null for a global entry; a user id for an entry that narrows one person's access further. */
  userId: string | null;
  label: string;
  createdAt: string;
}

export interface Allowlist {
  /** True while no global entry exists: the built-in private ranges apply. */
  usingDefaults: boolean;
  defaults: string[];
  items: AllowlistEntry[];
}

const key = ['settings', 'ip-allowlist'] as const;

export function useAllowlist() {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<Allowlist>('/api/v1/ip-allowlist', undefined, signal),
  });
}

export function useAddAllowlistEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { cidr: string; label: string; userId?: string }) =>
      api.post<{ id: string; cidr: string }>('/api/v1/ip-allowlist', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useRemoveAllowlistEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/v1/ip-allowlist/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}
