import { Anchor, Badge, Table, Text, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { RoleBadges, UserStatusBadge } from './user-display.tsx';
import type { UserSummary } from './users.api.ts';

export function UsersTable({ items }: { items: UserSummary[] }) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table striped highlightOnHover verticalSpacing={6} data-testid="users-table">
        <caption>
          <VisuallyHidden>Accounts, newest first</VisuallyHidden>
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Email</Table.Th>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Roles</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Enrolled</Table.Th>
            <Table.Th scope="col">Last sign-in</Table.Th>
            <Table.Th scope="col">Locked until</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((u) => (
            <Table.Tr key={u.id} data-user-id={u.id} data-email={u.email}>
              <Table.Td>
                <Anchor component={Link} to={`/users/${u.id}`} size="sm" fw={600} style={{ wordBreak: 'break-all' }}>
                  {u.email}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{u.name}</Text>
              </Table.Td>
              <Table.Td>
                <RoleBadges roles={u.roles} />
              </Table.Td>
              <Table.Td>
                <UserStatusBadge status={u.status} />
                {u.departureAt && !u.offboardedAt && (
                  <Text size="xs" c="dimmed" mt={2}>
                    leaving
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {u.enrolled ? (
                  <Badge color="green" variant="light" tt="none">
                    Yes
                  </Badge>
                ) : (
                  <Badge color="gray" variant="light" tt="none">
                    Not yet
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <DateTimeText value={u.lastLoginAt} empty="Never" />
              </Table.Td>
              <Table.Td>
                <DateTimeText value={u.lockedUntil} relative />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
