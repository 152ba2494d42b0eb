import { useMe } from '../features/auth/auth.api.ts';

/**
 * How the signed-in user holds a permission: in force now, dormant until the session elevates (privileged
 * permissions, IAM-09), or not at all. Screens use it to show, hide or explain controls; the server decides.
 */
export type Access = 'granted' | 'dormant' | 'none';

export function accessOf(permission: string, permissions: readonly string[], dormant: readonly string[] = []): Access {
  if (permissions.includes(permission)) return 'granted';
  if (dormant.includes(permission)) return 'dormant';
  return 'none';
}

/** Held in any way: dormant permissions count for showing a screen or a control. */
export const holdsAny = (
  wanted: string | readonly string[],
  permissions: readonly string[],
  dormant: readonly string[] = [],
): boolean =>
  (typeof wanted === 'string' ? [wanted] : wanted).some((p) => accessOf(p, permissions, dormant) !== 'none');

export function useAccess() {
  const { data: me } = useMe();
  const permissions = me?.user.permissions ?? [];
  const dormant = me?.user.dormantPermissions ?? [];
  return {
    me,
    access: (permission: string) => accessOf(permission, permissions, dormant),
    holds: (wanted: string | readonly string[]) => holdsAny(wanted, permissions, dormant),
  };
}
