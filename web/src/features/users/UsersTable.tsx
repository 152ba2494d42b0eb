import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { RoleBadges, UserStatusBadge } from './user-display.tsx';
import type { UserSummary } from './users.api.ts';

export function UsersTable({ items }: { items: UserSummary[] }) {
  return (
    <ListTable
      minWidth={960}
      striped
      highlightOnHover
      data-testid="users-table"
      caption="Accounts, newest first"
      columns={['Email', 'Name', 'Roles', 'Status', 'Enrolled', 'Last sign-in', 'Locked until']}
    >
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
    </ListTable>
  );
}
