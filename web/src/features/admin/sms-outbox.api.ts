import { useQuery } from '@tanstack/react-query';
import { api, request } from '../../lib/api-client.ts';

/**
 * The development SMS outbox (`GET /api/v1/admin/sms-outbox`, permission `users.manage`): where text
 * messages go when no SMS provider is configured. A server with a provider answers 404
 * `sms_outbox.not_in_use`, and then the screen is not offered at all.
 */
export interface SmsOutboxMessage {
  id: string;
  createdAt: string;
  to: string;
  text: string;
}

const OUTBOX_PATH = '/api/v1/admin/sms-outbox';

/** Whether this server keeps an outbox: learned once per page load, by someone who may read it. */
let inUse: boolean | undefined;

/** For the navigation: true only once the server answered that the outbox exists. */
export const smsOutboxInUse = (): boolean => inUse === true;

/**
 * Asks the server once whether the outbox exists, when the permission is in force (a dormant one would be
 * refused and offer elevation). A HEAD request: the status is all that is needed, so no message reaches this
 * browser unasked. Never throws; an unclear answer leaves the question open for the next `/me`.
 */
export async function learnSmsOutbox(permissions: readonly string[]): Promise<void> {
  if (inUse !== undefined || !permissions.includes('users.manage')) return;
  try {
    await request<void>('HEAD', OUTBOX_PATH, { query: { limit: 1 } });
    inUse = true;
  } catch (error) {
    // HEAD answers carry no body, so a 404 cannot name its code: any 404 means "no outbox here".
    if ((error as { status?: number } | null)?.status === 404) inUse = false;
  }
}

export function useSmsOutbox(enabled: boolean) {
  return useQuery({
    queryKey: ['admin', 'sms-outbox'],
    queryFn: async ({ signal }) => {
      const answer = await api.get<{ items: SmsOutboxMessage[] }>(OUTBOX_PATH, { limit: 50 }, signal);
      inUse = true;
      return answer;
    },
    enabled,
    // Each read is audited on the server: ask when the person asks, not on every focus.
    refetchOnWindowFocus: false,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}
