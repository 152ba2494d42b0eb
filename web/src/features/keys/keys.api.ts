import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export interface KeyStatus {
  rotation: { state: 'idle' | 'running'; done: number; total: number };
  rootKeyVersion: number;
  /** Root-key versions that still exist (more than one while a rotation runs). */
  versionsInUse: number[];
  provider: string;
}

const key = ['keys', 'status'] as const;

/** Polled every 2 s while a rotation runs, then left alone. */
export function useKeyStatus(enabled: boolean) {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<KeyStatus>('/api/v1/keys/status', undefined, signal),
    enabled,
    refetchInterval: (query) => (query.state.data?.rotation.state === 'running' ? 2000 : false),
    refetchIntervalInBackground: true,
  });
}

export function useRotateRootKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ id: string; fromVersion: number; toVersion: number }>('/api/v1/keys/rotate'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}
