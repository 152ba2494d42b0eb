import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

/** A data owner: the third party records come from, told when something happens to its data (DAT-09). */
export interface DataOwner {
  id: string;
  name: string;
  contactEmails: string[];
  /** Records held for it now (shredded ones are not counted). */
  records: number;
  createdAt: string;
}

export const ownersQueryKey = ['vault', 'owners'] as const;

/** Every data owner, by name. Needs `owners.read`; callers without it pass `enabled: false`. */
export function useOwners(enabled = true) {
  return useQuery({
    queryKey: ownersQueryKey,
    queryFn: ({ signal }) => api.get<{ items: DataOwner[] }>('/api/v1/owners', undefined, signal),
    enabled,
    staleTime: 30_000,
  });
}

/** id → name, for tables that show records or canaries by owner. */
export function useOwnerNames(enabled = true): Map<string, string> {
  const owners = useOwners(enabled);
  return new Map((owners.data?.items ?? []).map((o) => [o.id, o.name]));
}

export function useCreateOwner() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; contactEmails: string[] }) => api.post<{ id: string }>('/api/v1/owners', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ownersQueryKey }),
  });
}
