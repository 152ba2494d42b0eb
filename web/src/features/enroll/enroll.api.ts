import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

export interface EnrollmentStart {
  totpSecret: string;
  otpauthUrl: string;
}

const startKey = (token: string) => ['enrollment', 'start', token] as const;

/**
 * `POST /enrollment/start` issues a new TOTP secret on every call, replacing the one before. It runs as a
 * query keyed by the token so it is asked once per visit (mounts, re-renders and development double-renders
 * share the one answer), never refetched, and dropped when enrolment completes.
 */
export function useEnrollmentStart(token: string) {
  return useQuery({
    queryKey: startKey(token),
    queryFn: () => api.post<EnrollmentStart>('/api/v1/enrollment/start', { token }),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
}

export function useEnrollmentComplete(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { password: string; totpCode: string }) =>
      api.post<{ user: { id: string; email: string } }>('/api/v1/enrollment/complete', { token, ...input }),
    // The secret is no longer needed in this page's memory.
    onSuccess: () => queryClient.removeQueries({ queryKey: startKey(token) }),
  });
}

/** The account an otpauth URL is for (`otpauth://totp/Strongroom:ana%40example.org?…`), or null. */
export function accountOfOtpauth(url: string): string | null {
  try {
    const label = decodeURIComponent(new URL(url).pathname.replace(/^\/+/, ''));
    const account = label.includes(':') ? label.slice(label.indexOf(':') + 1) : label;
    return account.trim() || null;
  } catch {
    return null;
  }
}
