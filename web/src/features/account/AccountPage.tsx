import { SimpleGrid, Stack } from '@mantine/core';
import { useEffect } from 'react';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useMe } from '../auth/auth.api.ts';
import { AccountCard } from '../home/AccountCard.tsx';
import { ChangePasswordCard } from './ChangePasswordCard.tsx';
import { MyAccessCard } from './MyAccessCard.tsx';
import { MySessionsCard } from './MySessionsCard.tsx';
import { SecondFactorsCard } from './SecondFactorsCard.tsx';

/** `/account`: for anyone signed in — who I am, what I may reach, my password, sessions and second factors. */
export function AccountPage() {
  const me = useMe();
  // Grants and roles may have changed since the header last asked: show what is true now.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per visit
  useEffect(() => {
    void me.refetch();
  }, []);
  if (!me.data) return null;

  return (
    <Stack gap="lg" maw={1200}>
      <title>My account · Strongroom</title>
      <PageHeader title="My account" description="Your sign-in, your sessions and what you may reach." />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <AccountCard me={me.data} />
        <MyAccessCard me={me.data} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChangePasswordCard />
        <SecondFactorsCard />
      </SimpleGrid>
      <MySessionsCard />
    </Stack>
  );
}
