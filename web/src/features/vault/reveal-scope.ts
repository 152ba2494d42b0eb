import type { MeResponse } from '../auth/auth.api.ts';

/**
 * Which data owners' records the signed-in person may reveal, as `/me` tells it: every owner (the `owner` role,
 * or a grant without an owner list), some owners (scoped grants), or none. The server decides each reveal;
 * this only keeps the UI from offering a Reveal that would be refused.
 */
export type RevealScope = 'all' | ReadonlySet<string> | 'none';

export function revealScope(me: MeResponse | undefined): RevealScope {
  if (!me || !me.user.permissions.includes('records.reveal')) return 'none';
  if (me.user.roles.includes('owner')) return 'all';
  const grants = (me.user.grants ?? []).filter((g) => g.permission === 'records.reveal');
  if (grants.length === 0 || grants.some((g) => g.ownerIds === null)) return 'all';
  return new Set(grants.flatMap((g) => g.ownerIds ?? []));
}

export function canRevealFor(scope: RevealScope, ownerId: string): boolean {
  if (scope === 'all') return true;
  if (scope === 'none') return false;
  return scope.has(ownerId);
}
