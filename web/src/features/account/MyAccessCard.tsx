import { Badge, Card, Code, Stack, Table, Text, Title } from '@mantine/core';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import type { MeResponse } from '../auth/auth.api.ts';
import { GrantScope } from '../users/UserGrantsCard.tsx';

/** What I may do: confidential-data grants in force, and how many privileged permissions sleep until I elevate. */
export function MyAccessCard({ me }: { me: MeResponse }) {
  const grants = me.user.grants ?? [];
  const dormant = me.user.dormantPermissions ?? [];
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="my-access-heading">
      <Title order={3} size="h4" id="my-access-heading" mb="sm">
        Confidential-data access
      </Title>
      <Stack gap="sm">
        {grants.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="my-grants">
            {me.user.permissions.includes('records.reveal')
              ? 'Your role includes revealing records; no separate grant is needed.'
              : 'No grant. To reveal full records, ask an owner: one requests it for you and a second one approves it.'}
          </Text>
        ) : (
          <Table verticalSpacing={4} data-testid="my-grants">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Permission</Table.Th>
                <Table.Th scope="col">Scope</Table.Th>
                <Table.Th scope="col">Expires</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {grants.map((g) => (
                <Table.Tr key={g.id}>
                  <Table.Td>
                    <Code>{g.permission}</Code>{' '}
                    <Badge color="green" variant="light" tt="none" size="sm">
                      Active
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <GrantScope grant={g} />
                  </Table.Td>
                  <Table.Td>
                    <DateTimeText value={g.expiresAt} relative empty="No expiry" />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {dormant.length > 0 && (
          <Text size="sm" c="dimmed">
            {dormant.length} privileged permissions are asleep until you elevate your session (header button).
          </Text>
        )}
      </Stack>
    </Card>
  );
}
