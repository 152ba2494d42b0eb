import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Card,
  Center,
  DataList,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { Link, useParams } from 'react-router';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle, IconInfo, IconUsers } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useMe } from '../auth/auth.api.ts';
import { grantedViaLabel, lockReasonLabel, mfaMethodLabel } from './labels.ts';
import { UserActions } from './UserActions.tsx';
import { UserGrantsCard } from './UserGrantsCard.tsx';
import { displayName, PersonText, RoleBadges, UserStatusBadge, userStatusInfo } from './user-display.tsx';
import type { Person, UserDetail } from './users.api.ts';
import { usePeople, useUser } from './users.api.ts';

/** `/users/:id`: one account in full, and what may be done to it. */
export function UserDetailPage() {
  const { id = '' } = useParams();
  const user = useUser(id);
  const people = usePeople();

  const crumbs = (
    <Breadcrumbs>
      <Anchor component={Link} to="/users" size="sm">
        Users
      </Anchor>
      <Text size="sm">{user.data ? displayName(user.data) : 'Account'}</Text>
    </Breadcrumbs>
  );

  if (user.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the account" />
      </Center>
    );
  }
  if (user.isError) {
    const missing =
      isApiError(user.error) && (user.error.status === 404 || user.error.code === 'request.validation_failed');
    return (
      <Stack gap="lg">
        <title>Account · Strongroom</title>
        {crumbs}
        {missing ? (
          <EmptyStateCard
            icon={<IconUsers size={28} />}
            title="There is no such account"
            description="It may have been mistyped in the address. Go back to the users list and pick one there."
          />
        ) : (
          <ErrorAlert error={user.error} title="Could not load the account" onRetry={() => user.refetch()} />
        )}
      </Stack>
    );
  }

  const u = user.data;
  const name = displayName(u);
  return (
    <Stack gap="lg" maw={1200}>
      <title>{`${name} · Users · Strongroom`}</title>
      {crumbs}
      <div>
        <Group gap="sm" align="center">
          <Title order={2}>{name}</Title>
          <UserStatusBadge status={u.status} />
          {u.enrolled ? (
            <Badge color="green" variant="outline" tt="none">
              Enrolled
            </Badge>
          ) : (
            <Badge color="gray" variant="outline" tt="none">
              Not enrolled
            </Badge>
          )}
        </Group>
        <Text c="dimmed" style={{ wordBreak: 'break-all' }} data-testid="user-email">
          {u.email}
        </Text>
      </div>
      <StateAlerts user={u} />
      <UserActions user={u} />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ProfileCard user={u} people={people.byId} />
        <Stack gap="lg">
          <MfaCard methods={u.mfaMethods} />
          <SessionsCard user={u} />
        </Stack>
      </SimpleGrid>
      <RolesCard user={u} people={people.byId} />
      <UserGrantsCard grants={u.grants} people={people.byId} name={name} />
    </Stack>
  );
}

function StateAlerts({ user }: { user: UserDetail }) {
  const { data: me } = useMe();
  const isCreator = user.createdBy !== null && user.createdBy === me?.user.id;
  return (
    <>
      {user.status === 'pending_approval' && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconInfo />}
          title="Waiting for approval by someone else"
          data-testid="pending-alert"
        >
          {isCreator
            ? 'You created this account, so another administrator must approve it in Approvals. Then create an enrolment link here and send it to the person.'
            : 'Approve it if you expected this person and the roles are right; reject it otherwise.'}
        </Alert>
      )}
      {user.status === 'active' && !user.enrolled && (
        <Alert color="blue" variant="light" icon={<IconInfo />} title="Approved, not enrolled yet">
          The person cannot sign in until they open an enrolment link, choose a password and set up an authenticator
          app.
        </Alert>
      )}
      {user.departureAt && !user.offboardedAt && (
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle />}
          title="Departure scheduled"
          data-testid="departure-alert"
        >
          Every access is revoked at {formatDateTime(user.departureAt)} ({formatRelative(user.departureAt)}).
        </Alert>
      )}
    </>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function approvedBy(user: UserDetail, people: ReadonlyMap<string, Person>) {
  if (user.approvedBy) return <PersonText id={user.approvedBy} people={people} />;
  if (user.status === 'pending_approval' || user.status === 'disabled')
    return (
      <Text size="sm" c="dimmed">
        Not approved
      </Text>
    );
  // Approved without a user id: the first owner (setup) or the host operator with the command line.
  return (
    <Text size="sm">
      {user.createdBy ? 'The host operator (command line)' : 'Nobody: first owner, created at setup'}
    </Text>
  );
}

function ProfileCard({ user, people }: { user: UserDetail; people: ReadonlyMap<string, Person> }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-heading">
      <Title order={3} size="h4" id="profile-heading" mb="sm">
        Profile
      </Title>
      <DataList labelWidth={140} gap="xs" size="sm">
        <Item label="Email">
          <Text size="sm" style={{ wordBreak: 'break-all' }}>
            {user.email}
          </Text>
        </Item>
        <Item label="Full name">{user.name}</Item>
        <Item label="Status">
          <Text size="sm">{userStatusInfo[user.status]?.help ?? user.status}</Text>
        </Item>
        <Item label="Created">
          <DateTimeText value={user.createdAt} />
          <Text size="sm">
            by <PersonText id={user.createdBy} people={people} fallback="setup" />
          </Text>
        </Item>
        <Item label="Approved by">{approvedBy(user, people)}</Item>
        <Item label="Last sign-in">
          <DateTimeText value={user.lastLoginAt} empty="Never" relative />
        </Item>
        <Item label="Last activity">
          <DateTimeText value={user.lastActivityAt} empty="None" relative />
        </Item>
        {(user.lockedUntil || user.lockReason) && (
          <Item label="Locked">
            <Text size="sm">{lockReasonLabel[user.lockReason ?? ''] ?? user.lockReason ?? 'locked'}</Text>
            {user.lockedUntil && <DateTimeText value={user.lockedUntil} relative />}
          </Item>
        )}
        {user.departureAt && (
          <Item label="Departure">
            <DateTimeText value={user.departureAt} relative />
          </Item>
        )}
        {user.offboardedAt && (
          <Item label="Offboarded">
            <DateTimeText value={user.offboardedAt} />
          </Item>
        )}
      </DataList>
    </Card>
  );
}

function RolesCard({ user, people }: { user: UserDetail; people: ReadonlyMap<string, Person> }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="roles-heading">
      <Title order={3} size="h4" id="roles-heading" mb="sm">
        Roles
      </Title>
      {user.roleAssignments.length === 0 ? (
        <RoleBadges roles={[]} empty="No roles: the person can sign in but do nothing. Change roles to give some." />
      ) : (
        <ListTable
          minWidth={520}
          data-testid="role-assignments"
          columns={['Role', 'Given by', 'How, when', 'Last used']}
        >
          {user.roleAssignments.map((r) => (
            <Table.Tr key={r.role}>
              <Table.Td>
                <RoleBadges roles={[r.role]} />
              </Table.Td>
              <Table.Td>
                <PersonText id={r.grantedBy} people={people} fallback="the system" />
              </Table.Td>
              <Table.Td>
                <Text size="xs">{grantedViaLabel[r.grantedVia] ?? r.grantedVia}</Text>
                <DateTimeText value={r.grantedAt} />
              </Table.Td>
              <Table.Td>
                <DateTimeText value={r.lastUsedAt} empty="Never" relative />
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
    </Card>
  );
}

function MfaCard({ methods }: { methods: string[] }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="mfa-heading">
      <Title order={3} size="h4" id="mfa-heading" mb="sm">
        Second factors
      </Title>
      {methods.length === 0 ? (
        <Text size="sm" c="dimmed">
          None yet. The person sets up an authenticator app when they enrol.
        </Text>
      ) : (
        <Group gap="xs" data-testid="user-mfa">
          {methods.map((m) => (
            <Badge key={m} variant="light" color="green" tt="none">
              {mfaMethodLabel[m] ?? m}
            </Badge>
          ))}
        </Group>
      )}
    </Card>
  );
}

function SessionsCard({ user }: { user: UserDetail }) {
  const now = Date.now();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="sessions-heading">
      <Title order={3} size="h4" id="sessions-heading" mb="sm">
        Live sessions
      </Title>
      {user.sessions.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not signed in anywhere right now.
        </Text>
      ) : (
        <Stack gap="sm" data-testid="user-sessions">
          {user.sessions.map((s) => {
            const elevated = s.elevatedUntil && Date.parse(s.elevatedUntil) > now ? s.elevatedUntil : null;
            return (
              <div key={s.id}>
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    Since {formatDateTime(s.createdAt)}
                  </Text>
                  {elevated && (
                    <Badge color="orange" variant="light" tt="none" size="sm">
                      Elevated until {formatDateTime(elevated)}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  Last active {formatRelative(s.lastSeenAt)} · ends {formatRelative(s.expiresAt)} (
                  {formatDateTime(s.expiresAt)})
                </Text>
              </div>
            );
          })}
        </Stack>
      )}
      <Text size="xs" c="dimmed" mt="sm">
        One session per person: signing in elsewhere ends the previous one. Locking the account ends them all.
      </Text>
    </Card>
  );
}
