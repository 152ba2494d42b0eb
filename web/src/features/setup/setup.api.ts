import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export interface SetupStatus {
  needed: boolean;
}

export interface SetupStartResponse {
  totpSecret: string;
  otpauthUrl: string;
}

export interface SetupCompleteInput {
  token: string;
  email: string;
  name: string;
  password: string;
  totpCode: string;
}

export interface SetupCompleteResponse {
  user: { id: string; email: string; roles: string[] };
}

export function useSetupStatus() {
  return useQuery({
    queryKey: ['setup', 'status'],
    queryFn: ({ signal }) => api.get<SetupStatus>('/api/v1/setup/status', undefined, signal),
  });
}

/** Issues the TOTP secret for the first administrator; the one-time token goes in the body only. */
export function useSetupStart() {
  return useMutation({
    mutationFn: (input: { token: string; email?: string }) =>
      api.post<SetupStartResponse>('/api/v1/setup/start', input),
  });
}

export function useSetupComplete() {
  return useMutation({
    mutationFn: (input: SetupCompleteInput) => api.post<SetupCompleteResponse>('/api/v1/setup/complete', input),
  });
}
