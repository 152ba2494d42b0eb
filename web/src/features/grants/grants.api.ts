import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api-client.ts';

/** A two-person grant of confidential-data access (IAM-08), as the server lists it. */
export interface Grant {
  id: string;
  userId: string;
  permission: string;
  /** The data owners it is limited to; null means every owner. */
  ownerIds: string[] | null;
  expiresAt: string | null;
  status: 'pending_approval' | 'active' | 'rejected' | 'revoked' | string;
  reason: string | null;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface GrantRequestInput {
  userId: string;
  permission: 'records.reveal';
  ownerIds?: string[];
  expiresAt?: string;
  reason?: string;
}

export const grantStatusLabel: Record<string, { label: string; color: string }> = {
  pending_approval: { label: 'Waiting for approval', color: 'orange' },
  active: { label: 'Active', color: 'green' },
  rejected: { label: 'Rejected', color: 'gray' },
  revoked: { label: 'Revoked', color: 'gray' },
};

/** Grants change a user's detail, the approvals queue and (for the grantee) `/me`: refresh all three. */
function useInvalidateAccess() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['users'] }),
      queryClient.invalidateQueries({ queryKey: ['approvals'] }),
    ]);
}

/** Asked by one top-level admin who holds the permission; another must approve it. */
export function useRequestGrant() {
  const invalidate = useInvalidateAccess();
  return useMutation({
    mutationFn: ({ userId, ...body }: GrantRequestInput) =>
      api.post<{ id: string; status: string }>(`/api/v1/users/${encodeURIComponent(userId)}/grants`, body),
    onSuccess: invalidate,
  });
}

export function useDecideGrant() {
  const invalidate = useInvalidateAccess();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'approve' | 'reject' | 'revoke' }) =>
      api.post<{ id: string; status: string }>(`/api/v1/grants/${encodeURIComponent(id)}/${decision}`),
    onSuccess: invalidate,
  });
}
