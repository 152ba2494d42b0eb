import { Button, Card, Code, Group, SimpleGrid, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { holdsAny } from '../../app/permissions.ts';
import {
  IconBell,
  IconInbox,
  IconKey,
  IconListCheck,
  IconNetwork,
  IconUserCircle,
  IconUsers,
} from '../../components/icons.tsx';

interface NextStep {
  key: string;
  icon: ReactNode;
  title: string;
  body: ReactNode;
  action?: { label: string; to: string };
  /** Any of these, in force or dormant; none means everyone. */
  permission?: string | readonly string[];
}

// Each card points to the screen where the step is done; modules not built yet say what to do meanwhile.
const steps: NextStep[] = [
  {
    key: 'team',
    icon: <IconUsers />,
    title: 'Invite your team',
    body: 'Create an account for each person with the least roles their work needs. Someone else approves it; then you send them an enrolment link.',
    action: { label: 'Open Users', to: '/users' },
    permission: 'users.read',
  },
  {
    key: 'approvals',
    icon: <IconInbox />,
    title: 'Decide what waits for you',
    body: 'New accounts and confidential-data access need a second person. What others asked for waits in Approvals.',
    action: { label: 'Open Approvals', to: '/approvals' },
    permission: ['users.approve', 'grants.approve'],
  },
  {
    key: 'allowlist',
    icon: <IconNetwork />,
    title: 'Limit where data is reached from',
    body: 'Until you add your networks, confidential data is reachable from this machine and private ranges only.',
    action: { label: 'Review the IP allow-list', to: '/settings/ip-allowlist' },
    permission: 'users.read',
  },
  {
    key: 'records',
    icon: <IconKey />,
    title: 'Connect an ingestion client',
    body: (
      <>
        Records arrive through <Code>POST /api/v1/records</Code> with a service token limited to the client’s addresses.
        Search and reveal screens will appear here.
      </>
    ),
    action: { label: 'Create a service token', to: '/settings/service-tokens' },
    permission: 'users.read',
  },
  {
    key: 'audit',
    icon: <IconListCheck />,
    title: 'Check the audit log',
    body: 'Every sign-in and change is recorded in a hash-chained log. Filter it, and verify that it is intact.',
    action: { label: 'Review entries', to: '/audit' },
    permission: 'audit.read',
  },
  {
    key: 'account',
    icon: <IconUserCircle />,
    title: 'Look after your account',
    body: 'Change your password, see your sessions and second factors, and check what access you hold.',
    action: { label: 'Open My account', to: '/account' },
  },
  {
    key: 'alerts',
    icon: <IconBell />,
    title: 'Watch for alerts',
    body: 'No alerts yet. Detection rules watch sign-ins and reveals; alerts will be listed here and emailed.',
    permission: 'alerts.read',
  },
];

export function NextStepCards({
  permissions,
  dormant = [],
}: {
  permissions: readonly string[];
  dormant?: readonly string[];
}) {
  const visible = steps.filter((s) => !s.permission || holdsAny(s.permission, permissions, dormant));
  return (
    <section aria-labelledby="next-heading">
      <Title order={3} size="h4" id="next-heading" mb="sm">
        What comes next
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {visible.map((step) => (
          <Card key={step.key} withBorder padding="lg" style={{ display: 'flex', flexDirection: 'column' }}>
            <Group gap="sm" mb="xs" wrap="nowrap">
              <ThemeIcon variant="light" size="lg" radius="md" aria-hidden>
                {step.icon}
              </ThemeIcon>
              <Text fw={600}>{step.title}</Text>
            </Group>
            <Text size="sm" c="dimmed" style={{ flexGrow: 1 }}>
              {step.body}
            </Text>
            {step.action && (
              <Button component={Link} to={step.action.to} variant="light" mt="md" w="fit-content">
                {step.action.label}
              </Button>
            )}
          </Card>
        ))}
      </SimpleGrid>
    </section>
  );
}
