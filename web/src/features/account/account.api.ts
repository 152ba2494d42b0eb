import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export interface MySession {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
  elevatedUntil: string | null;
  /** Keyed hash of the IP address: compare sessions without revealing the address. */
  ipHash: string | null;
}

export function useMySessions() {
  return useQuery({
    queryKey: ['me', 'sessions'],
    queryFn: ({ signal }) => api.get<{ items: MySession[] }>('/api/v1/me/sessions', undefined, signal),
  });
}

export function useEndMySession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/v1/me/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me', 'sessions'] }),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api.post<void>('/api/v1/me/password', input),
  });
}
