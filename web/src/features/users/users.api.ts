import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useAccess } from '../../app/permissions.ts';
import { api } from '../../lib/api-client.ts';
import type { Grant } from '../grants/grants.api.ts';

export const userStatuses = ['pending_approval', 'active', 'locked', 'disabled', 'offboarded'] as const;
export type UserStatus = (typeof userStatuses)[number];

export interface UserSummary {
  id: string;
  email: string;
  name: string;
  status: UserStatus | string;
  roles: string[];
  enrolled: boolean;
  /** Set while an automatic lock-out (failed sign-ins) is running. */
  lockedUntil: string | null;
  createdAt: string;
  createdBy: string | null;
  approvedBy: string | null;
  lastLoginAt: string | null;
  lastActivityAt: string | null;
  departureAt: string | null;
  offboardedAt: string | null;
}

export interface RoleAssignment {
  role: string;
  grantedBy: string | null;
  grantedVia: string;
  grantedAt: string;
  lastUsedAt: string | null;
}

export interface UserSession {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  elevatedUntil: string | null;
}

export interface UserDetail extends UserSummary {
  lockReason: string | null;
  roleAssignments: RoleAssignment[];
  grants: Grant[];
  sessions: UserSession[];
  mfaMethods: string[];
}

export interface RoleInfo {
  name: string;
  permissions: string[];
  description?: string;
}

export interface RolesResponse {
  privilegedPermissions: string[];
  builtIn: RoleInfo[];
  custom: RoleInfo[];
}

export const USERS_PAGE_SIZE = 50;

export function useUsers({ status, page }: { status: string; page: number }) {
  return useQuery({
    queryKey: ['users', 'list', { status, page }],
    queryFn: ({ signal }) =>
      api.get<{ items: UserSummary[] }>(
        '/api/v1/users',
        { status, limit: USERS_PAGE_SIZE, offset: (page - 1) * USERS_PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

export interface Person {
  id: string;
  name: string;
  email: string;
}

/**
 * Who is who: the API names people by id (created by, granted by, requested by); this resolves them for
 * display. Read only by people who may list users; everyone else sees short ids.
 */
export function usePeople() {
  const { holds } = useAccess();
  const query = useQuery({
    queryKey: ['users', 'directory'],
    queryFn: ({ signal }) => api.get<{ items: UserSummary[] }>('/api/v1/users', { limit: 200 }, signal),
    enabled: holds('users.read'),
    staleTime: 60_000,
  });
  const byId = new Map<string, Person>();
  for (const u of query.data?.items ?? []) byId.set(u.id, { id: u.id, name: u.name, email: u.email });
  return { byId, list: query.data?.items ?? [], isPending: query.isPending && query.fetchStatus !== 'idle' };
}

export function useUser(id: string) {
  return useQuery({
    queryKey: ['users', 'detail', id],
    queryFn: ({ signal }) => api.get<UserDetail>(`/api/v1/users/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ['roles'],
    queryFn: ({ signal }) => api.get<RolesResponse>('/api/v1/roles', undefined, signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}

function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['users'] }),
      queryClient.invalidateQueries({ queryKey: ['approvals'] }),
    ]);
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (input: { email: string; name: string; roles: string[] }) =>
      api.post<{ id: string; status: string }>('/api/v1/users', input),
    onSuccess: invalidate,
  });
}

export type UserTransition = 'approve' | 'reject' | 'lock' | 'unlock';

export function useUserTransition() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: UserTransition }) =>
      api.post<{ id: string; status: string }>(`/api/v1/users/${encodeURIComponent(id)}/${action}`),
    onSuccess: invalidate,
  });
}

export function useOffboardUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, at }: { id: string; at?: string }) =>
      api.post<{ id: string; status: string; departureAt?: string }>(
        `/api/v1/users/${encodeURIComponent(id)}/offboard`,
        at ? { at } : {},
      ),
    onSuccess: invalidate,
  });
}

export function useChangeRoles() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, add, remove }: { id: string; add: string[]; remove: string[] }) =>
      api.post<{ id: string; roles: string[] }>(`/api/v1/users/${encodeURIComponent(id)}/roles`, { add, remove }),
    onSuccess: invalidate,
  });
}

export interface EnrollmentLink {
  token: string;
  url: string;
  expiresAt: string;
}

/** A single-use link (24 h); creating one revokes any earlier link for that person. */
export function useCreateEnrollmentLink() {
  return useMutation({
    mutationFn: (id: string) => api.post<EnrollmentLink>(`/api/v1/users/${encodeURIComponent(id)}/enrollment-link`),
  });
}
