import { Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The title block of a signed-in page: a heading, one line on what the page is for, and its main actions. */
export function PageHeader({
  title,
  description,
  actions,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <Group justify="space-between" align="flex-start" gap="md">
      <div style={{ minWidth: 0, flex: '1 1 320px' }}>
        <Title order={2}>{title}</Title>
        {description && <Text c="dimmed">{description}</Text>}
      </div>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}
