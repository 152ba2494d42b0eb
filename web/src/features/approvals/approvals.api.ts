import { useQuery } from '@tanstack/react-query';
import { useAccess } from '../../app/permissions.ts';
import { api } from '../../lib/api-client.ts';
import type { Grant } from '../grants/grants.api.ts';
import type { UserSummary } from '../users/users.api.ts';

export interface ApprovalsResponse {
  /** Accounts waiting for approval, those this person created left out (IAM-07). */
  users: UserSummary[];
  /** Grants waiting for approval, those this person asked for or would receive left out (IAM-08). */
  grants: Grant[];
}

/** Who may see the queue: approvers, whether or not the permission is awake right now. */
export const approverPermissions = ['users.approve', 'grants.approve'] as const;

export function useApprovals() {
  const { holds } = useAccess();
  return useQuery({
    queryKey: ['approvals'],
    queryFn: ({ signal }) => api.poll<ApprovalsResponse>('/api/v1/approvals', undefined, signal),
    enabled: holds(approverPermissions),
    // The nav badge counts what waits: keep it roughly current without hammering the server.
    refetchInterval: 60_000,
  });
}

export function useApprovalsCount(): number {
  const { data } = useApprovals();
  return data ? data.users.length + data.grants.length : 0;
}
