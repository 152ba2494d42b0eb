import { Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { FilterBar } from '../../components/FilterBar.tsx';
import { IconUserPlus, IconUsers } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { PrivilegedButton } from '../elevation/PrivilegedButton.tsx';
import { CreateUserModal } from './CreateUserModal.tsx';
import { UsersTable } from './UsersTable.tsx';
import { userStatusInfo } from './user-display.tsx';
import { USERS_PAGE_SIZE, userStatuses, useUsers } from './users.api.ts';
import { useUsersFilters } from './users-filters.ts';

const statusOptions = [
  { value: '', label: 'Any status' },
  ...userStatuses.map((s) => ({ value: s, label: userStatusInfo[s]?.label ?? s })),
];

/** `/users`: every account with its roles and state, filtered by status from the URL. */
export function UsersPage() {
  const [filters, setFilters] = useUsersFilters();
  const users = useUsers(filters);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const items = users.data?.items ?? [];
  const hasNext = items.length === USERS_PAGE_SIZE;

  const createButton = (
    <PrivilegedButton
      permission="users.create"
      leftSection={<IconUserPlus size={16} />}
      onClick={openCreate}
      elevationHint="Creating a user is a privileged action: elevate first, then press Create user again."
    >
      Create user
    </PrivilegedButton>
  );

  return (
    <Stack gap="lg">
      <title>Users · Strongroom</title>
      <PageHeader
        title="Users"
        description="Everyone who can sign in, what they may do, and where each account stands."
        actions={createButton}
      />
      <FilterBar label="User filters">
        <NativeSelect
          label="Status"
          data={statusOptions}
          value={filters.status}
          onChange={(e) => setFilters({ status: e.currentTarget.value })}
          w={220}
        />
        {filters.status && (
          <Button variant="subtle" onClick={() => setFilters({ status: '' })}>
            Clear filter
          </Button>
        )}
      </FilterBar>
      <QueryStatus
        query={users}
        loadingLabel="Loading users"
        errorTitle="Could not load the users"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconUsers size={28} />}
            title={
              filters.status
                ? `No accounts are ${userStatusInfo[filters.status]?.label.toLowerCase()}`
                : 'No accounts yet'
            }
            description={
              filters.status
                ? 'Choose another status, or clear the filter to see every account.'
                : 'Create the first account; someone else approves it, then you send the person an enrolment link.'
            }
            action={
              filters.status ? (
                <Button variant="default" onClick={() => setFilters({ status: '' })}>
                  Clear filter
                </Button>
              ) : (
                createButton
              )
            }
          />
        }
      />
      {items.length > 0 && <UsersTable items={items} />}
      {users.isSuccess && (items.length > 0 || filters.page > 1) && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" aria-live="polite">
            Page {filters.page}: {items.length} {items.length === 1 ? 'account' : 'accounts'}
            {users.isPlaceholderData ? ' (updating…)' : ''}
          </Text>
          <Group gap="xs">
            <Button
              variant="default"
              disabled={filters.page <= 1}
              onClick={() => setFilters({ page: filters.page - 1 })}
            >
              Previous page
            </Button>
            <Button variant="default" disabled={!hasNext} onClick={() => setFilters({ page: filters.page + 1 })}>
              Next page
            </Button>
          </Group>
        </Group>
      )}
      <CreateUserModal opened={creating} onClose={closeCreate} />
    </Stack>
  );
}
