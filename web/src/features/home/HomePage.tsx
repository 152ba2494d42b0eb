import { SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Navigate } from 'react-router';
import { useMe } from '../auth/auth.api.ts';
import { AccountCard } from './AccountCard.tsx';
import { NextStepCards } from './NextStepCards.tsx';
import { ServerStatus } from './ServerStatus.tsx';

/** `/`: who is signed in, until when, and what this installation can do next. */
export function HomePage() {
  const { data: me } = useMe();
  // RequireAuth renders this page only once `me` is known.
  if (!me) return null;
  // a security analyst's home is the alerts queue (docs/ui.md); an owner who also triages keeps this page
  if (me.user.roles.includes('security_analyst') && !me.user.roles.includes('owner'))
    return <Navigate to="/alerts" replace />;

  return (
    <Stack gap="lg" maw={1100}>
      <title>Home · Strongroom</title>
      <div>
        <Title order={2}>Welcome, {me.user.name?.trim() || me.user.email}</Title>
        <Text c="dimmed">
          This is your Strongroom workspace. Every action you take here is recorded in the audit log.
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <AccountCard me={me} />
        <ServerStatus />
      </SimpleGrid>
      <NextStepCards permissions={me.user.permissions} dormant={me.user.dormantPermissions} />
    </Stack>
  );
}
