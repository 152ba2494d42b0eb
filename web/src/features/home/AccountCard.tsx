import { Badge, Card, DataList, Group, Text, Title } from '@mantine/core';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import type { MeResponse } from '../auth/auth.api.ts';

/** Absolute time in the viewer's zone, with "in 12 hours" beside it for a quick read. */
function When({ at, testId }: { at: string; testId: string }) {
  return (
    <Text size="sm" data-testid={testId}>
      {formatDateTime(at)}{' '}
      <Text span c="dimmed" size="sm">
        ({formatRelative(at)})
      </Text>
    </Text>
  );
}

export function AccountCard({ me }: { me: MeResponse }) {
  const { user, session } = me;
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="account-heading">
      <Title order={3} size="h4" id="account-heading" mb="sm">
        Your account
      </Title>
      <DataList labelWidth={120} gap="xs" size="sm">
        <DataList.Item>
          <DataList.ItemLabel>Email</DataList.ItemLabel>
          <DataList.ItemValue data-testid="home-email" style={{ wordBreak: 'break-all' }}>
            {user.email}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Roles</DataList.ItemLabel>
          <DataList.ItemValue>
            <Group gap={6} data-testid="home-roles">
              {user.roles.length === 0 && (
                <Text size="sm" c="dimmed">
                  None yet. Ask an administrator to assign one.
                </Text>
              )}
              {user.roles.map((role) => (
                <Badge key={role} variant="light" tt="none">
                  {role}
                </Badge>
              ))}
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
        {(user.grants?.length ?? 0) > 0 && (
          <DataList.Item>
            <DataList.ItemLabel>Grants</DataList.ItemLabel>
            <DataList.ItemValue>
              <Group gap={6} data-testid="home-grants">
                {user.grants?.map((g) => (
                  <Badge key={g.id} variant="light" color="green" tt="none">
                    {g.permission}
                    {g.ownerIds?.length ? ` · ${g.ownerIds.length} owner(s)` : ''}
                    {g.expiresAt ? ` · until ${formatDateTime(g.expiresAt)}` : ''}
                  </Badge>
                ))}
              </Group>
            </DataList.ItemValue>
          </DataList.Item>
        )}
        <DataList.Item>
          <DataList.ItemLabel>Session ends</DataList.ItemLabel>
          <DataList.ItemValue>
            <When at={session.expiresAt} testId="home-session-expiry" />
          </DataList.ItemValue>
        </DataList.Item>
        {session.idleExpiresAt && (
          <DataList.Item>
            <DataList.ItemLabel>Ends if idle</DataList.ItemLabel>
            <DataList.ItemValue>
              <When at={session.idleExpiresAt} testId="home-session-idle-expiry" />
            </DataList.ItemValue>
          </DataList.Item>
        )}
      </DataList>
    </Card>
  );
}
