import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export interface Health {
  status: string;
}

/** `GET /healthz`: the only thing the server says without a session is whether it is up. */
export function useServerHealth() {
  return useQuery({
    queryKey: ['healthz'],
    queryFn: ({ signal }) => api.get<Health>('/healthz', undefined, signal),
    staleTime: 30_000,
  });
}
