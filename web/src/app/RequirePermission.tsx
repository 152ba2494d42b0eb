import { Container } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyStateCard } from '../components/EmptyStateCard.tsx';
import { IconShield } from '../components/icons.tsx';
import { useMe } from '../features/auth/auth.api.ts';

/**
 * Keeps a page from rendering (and firing calls that would be refused) for a user who lacks the
 * permission. Refused calls count towards the server's lock-out rule, so not making them matters.
 */
export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const me = useMe();
  if (me.data?.user.permissions.includes(permission)) return children;
  return (
    <Container size="sm" py="xl">
      <EmptyStateCard
        icon={<IconShield size={28} />}
        title="You do not have access to this page"
        description={`It needs the "${permission}" permission. Ask an administrator for it if your work requires it.`}
      />
    </Container>
  );
}
