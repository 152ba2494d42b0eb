import { Container } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyStateCard } from '../components/EmptyStateCard.tsx';
import { IconShield } from '../components/icons.tsx';
import { useMe } from '../features/auth/auth.api.ts';
import { holdsAny } from './permissions.ts';

/**
 * Keeps a page from rendering (and firing calls that would be refused) for a user who lacks the
 * permission. Refused calls count towards the server's lock-out rule, so not making them matters.
 * `permission` may list several (any of them will do); a dormant permission (asleep until elevation) counts,
 * since the page then explains which of its actions need elevation.
 */
export function RequirePermission({
  permission,
  children,
}: {
  permission: string | readonly string[];
  children: ReactNode;
}) {
  const me = useMe();
  if (me.data && holdsAny(permission, me.data.user.permissions, me.data.user.dormantPermissions ?? [])) return children;
  const names = typeof permission === 'string' ? [permission] : [...permission];
  return (
    <Container size="sm" py="xl">
      <EmptyStateCard
        icon={<IconShield size={28} />}
        title="You do not have access to this page"
        description={`It needs the ${names.map((n) => `"${n}"`).join(' or ')} permission. Ask an administrator for it if your work requires it.`}
      />
    </Container>
  );
}
