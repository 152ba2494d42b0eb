import { Badge, Card, Group, Loader, Text, Title } from '@mantine/core';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useServerHealth } from './home.api.ts';

export function ServerStatus() {
  const health = useServerHealth();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="server-heading">
      <Title order={3} size="h4" id="server-heading" mb="sm">
        Server
      </Title>
      {health.isPending && <Loader size="sm" aria-label="Checking the server" />}
      {health.isError && <ErrorAlert error={health.error} title="Health check failed" />}
      {health.data && (
        <Group gap="sm">
          <Badge color={health.data.status === 'ok' ? 'green' : 'orange'} variant="light" tt="none">
            {health.data.status === 'ok' ? 'Running' : health.data.status}
          </Badge>
          <Text size="sm" c="dimmed">
            Served over HTTPS from this host. Sign-ins, reveals and administrative actions are written to a
            tamper-evident log.
          </Text>
        </Group>
      )}
    </Card>
  );
}
