import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../lib/api-client.ts';

/**
 * A 4xx answer will not change by asking again (and repeated refusals count towards the server's lock-out
 * rules), so only network failures and 5xx answers are retried, twice at most.
 */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
