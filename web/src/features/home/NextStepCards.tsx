import { Button, Card, Code, Group, SimpleGrid, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { IconBell, IconDatabase, IconListCheck, IconUsers } from '../../components/icons.tsx';

interface NextStep {
  key: string;
  icon: ReactNode;
  title: string;
  body: ReactNode;
  action?: { label: string; to: string };
  permission?: string;
}

// Until each module ships its screens, the home page says plainly what to do instead of showing nothing.
const steps: NextStep[] = [
  {
    key: 'audit',
    icon: <IconListCheck />,
    title: 'Check the audit log',
    body: 'Every sign-in and change is recorded in a hash-chained log. Filter it, and verify that it is intact.',
    action: { label: 'Review entries', to: '/audit' },
    permission: 'audit.read',
  },
  {
    key: 'team',
    icon: <IconUsers />,
    title: 'Invite your team',
    body: (
      <>
        No other people yet. Accounts are created with <Code>POST /api/v1/users</Code> and need a second administrator's
        approval; the Users screen comes next.
      </>
    ),
  },
  {
    key: 'records',
    icon: <IconDatabase />,
    title: 'Load records',
    body: (
      <>
        The vault is empty. Ingestion clients add records with a service token through <Code>POST /api/v1/records</Code>
        ; search and reveal screens will appear here.
      </>
    ),
  },
  {
    key: 'alerts',
    icon: <IconBell />,
    title: 'Watch for alerts',
    body: 'No alerts yet. Detection rules watch sign-ins and reveals; alerts will be listed here and emailed.',
  },
];

export function NextStepCards({ permissions }: { permissions: readonly string[] }) {
  const visible = steps.filter((s) => !s.permission || permissions.includes(s.permission));
  return (
    <section aria-labelledby="next-heading">
      <Title order={3} size="h4" id="next-heading" mb="sm">
        What comes next
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        {visible.map((step) => (
          <Card key={step.key} withBorder padding="lg">
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
