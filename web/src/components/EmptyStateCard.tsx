import { Card, EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

interface EmptyStateCardProps {
  icon: ReactNode;
  title: string;
  description: ReactNode;
  action?: ReactNode;
}

/** An empty state always says what to do next, never just "nothing here". */
export function EmptyStateCard({ icon, title, description, action }: EmptyStateCardProps) {
  return (
    <Card withBorder padding="xl">
      <EmptyState icon={icon} title={title} description={description} variant="light">
        {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
      </EmptyState>
    </Card>
  );
}
