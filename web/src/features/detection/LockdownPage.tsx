import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Alert as MantineAlert,
  Stack,
  Stepper,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { IconCheck, IconInfo } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { PrivilegedButton } from '../elevation/PrivilegedButton.tsx';
import type { Person } from '../users/users.api.ts';
import { usePeople } from '../users/users.api.ts';
import type { LockdownState } from './detection.api.ts';
import { useEngageLockdown, useLiftLockdown, useLockdown, useLockdownHistory } from './detection.api.ts';
import { IconShieldLock } from './detection-icons.tsx';
import { EngagedBy, Who } from './LockdownBanner.tsx';

const closes = [
  'Revealing confidential records is refused for everyone except incident responders.',
  'Every signed-in person sees a red banner saying so, on every page.',
  'Searching masked records, alerts, audit and administration keep working.',
  'Lifting it takes two different owners: one asks, the other confirms.',
];

function durationText(from: string | undefined, to: string | null | undefined): string {
  if (!from) return '—';
  const ms = (to ? Date.parse(to) : Date.now()) - Date.parse(from);
  if (Number.isNaN(ms)) return '—';
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'under a minute';
  if (min < 60) return `${min} min`;
  if (min < 48 * 60) return `${Math.floor(min / 60)} h ${min % 60} min`;
  return `${Math.round(min / 1440)} days`;
}

/** `/security/lockdown`: engage at once; two owners lift; every lock-down so far. */
export function LockdownPage() {
  const { holds } = useAccess();
  const lockdown = useLockdown();
  const people = usePeople();
  return (
    <Stack gap="lg" maw={1200}>
      <title>Lock-down · Strongroom</title>
      <PageHeader
        title="Lock-down"
        description="Close confidential data at once during an incident. Any security analyst can engage it; two owners must agree to lift it."
      />
      <QueryStatus
        query={lockdown}
        loadingLabel="Loading the lock-down state"
        errorTitle="Could not read the lock-down state"
      />
      {lockdown.data &&
        (lockdown.data.active ? (
          <ActiveCard state={lockdown.data} people={people.byId} />
        ) : (
          <InactiveCard state={lockdown.data} people={people.byId} />
        ))}
      {holds('alerts.read') && <History people={people.byId} />}
    </Stack>
  );
}

function InactiveCard({ state, people }: { state: LockdownState; people: ReadonlyMap<string, Person> }) {
  const { me, holds } = useAccess();
  const engage = useEngageLockdown();
  const [confirming, setConfirming] = useState(false);
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="state-heading" data-testid="lockdown-state">
      <Group gap="sm" mb="xs">
        <Title order={3} size="h4" id="state-heading">
          Not locked down
        </Title>
        <Badge color="green" variant="light" tt="none" leftSection={<IconCheck size={12} />}>
          Open
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        {state.liftedAt ? (
          <>
            The last lock-down was lifted {formatDateTime(state.liftedAt)} ({formatRelative(state.liftedAt)}) by{' '}
            <Who id={state.liftedBy} people={people} meId={me?.user.id} unknown="an owner" />.
          </>
        ) : (
          'Strongroom has never been locked down.'
        )}
      </Text>
      <Text size="sm" fw={600}>
        Locking down:
      </Text>
      <List size="sm" spacing={2} mb="md">
        {closes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
      <Group>
        <PrivilegedButton
          permission="lockdown.manage"
          color="red.8"
          leftSection={<IconShieldLock size={16} />}
          onClick={() => setConfirming(true)}
        >
          Lock down now
        </PrivilegedButton>
      </Group>
      {!holds('lockdown.manage') && (
        <Text size="sm" c="dimmed">
          Engaging a lock-down needs the “lockdown.manage” permission.
        </Text>
      )}
      <ConfirmDialog
        opened={confirming}
        onClose={() => {
          setConfirming(false);
          engage.reset();
        }}
        title="Lock Strongroom down now?"
        confirmLabel="Lock down now"
        color="red.8"
        pending={engage.isPending}
        error={engage.error}
        onConfirm={() =>
          engage.mutate(undefined, {
            onSuccess: () => {
              setConfirming(false);
              notifications.show({
                color: 'red',
                title: 'Strongroom is locked down',
                message: 'Reveals are closed for all but incident responders. Two owners must lift it.',
              });
            },
          })
        }
      >
        <List size="sm" spacing={4}>
          {closes.map((c) => (
            <List.Item key={c}>{c}</List.Item>
          ))}
        </List>
        <Text size="sm" mt="sm">
          It takes effect on the next request on every server and is recorded in the audit log.
        </Text>
      </ConfirmDialog>
    </Card>
  );
}

function ActiveCard({ state, people }: { state: LockdownState; people: ReadonlyMap<string, Person> }) {
  const { me } = useAccess();
  const lift = useLiftLockdown();
  const [confirming, setConfirming] = useState(false);
  const meId = me?.user.id;
  const isOwner = (me?.user.roles ?? []).includes('owner');
  const requested = Boolean(state.liftRequestedBy);
  const askedByMe = requested && state.liftRequestedBy === meId;
  const step = requested ? 2 : 1;

  return (
    <Card
      withBorder
      padding="lg"
      component="section"
      aria-labelledby="state-heading"
      data-testid="lockdown-state"
      style={{ borderColor: 'var(--mantine-color-red-filled)', borderWidth: 2 }}
    >
      <Group gap="sm" mb="xs">
        <IconShieldLock size={24} color="var(--mantine-color-red-filled)" />
        <Title order={3} size="h4" id="state-heading">
          Locked down
        </Title>
        <Badge color="red.9" variant="filled" tt="none">
          In force
        </Badge>
      </Group>
      <Text size="sm" mb="md">
        Since {formatDateTime(state.engagedAt)} ({formatRelative(state.engagedAt ?? '')}),{' '}
        <EngagedBy state={state} people={people} meId={meId} />
        {state.alertId && (
          <>
            {' '}
            after{' '}
            <Anchor component={Link} to={`/alerts/${state.alertId}`} size="sm">
              this alert
            </Anchor>
          </>
        )}
        . Revealing confidential records is refused for everyone but incident responders.
      </Text>
      <Stepper active={step} size="sm" mb="lg" data-testid="lockdown-stepper">
        <Stepper.Step
          label="Engaged"
          description={formatDateTime(state.engagedAt)}
          allowStepSelect={false}
          aria-disabled
        />
        <Stepper.Step
          label="First owner asks to lift"
          description={
            requested ? (
              <>
                <Who id={state.liftRequestedBy} people={people} meId={meId} unknown="an owner" />
                <br />
                {formatDateTime(state.liftRequestedAt)}
              </>
            ) : (
              'Not yet'
            )
          }
          allowStepSelect={false}
          aria-disabled
        />
        <Stepper.Step
          label="A second owner confirms"
          description="Lifted at once"
          allowStepSelect={false}
          aria-disabled
        />
      </Stepper>
      {!isOwner ? (
        <MantineAlert color="blue" variant="light" icon={<IconInfo />}>
          Only owners (top-level administrators) can lift a lock-down: one asks, a different one confirms.
          {requested ? ' One has asked; a second owner must confirm.' : ''}
        </MantineAlert>
      ) : askedByMe ? (
        <Group>
          <Button disabled>Waiting for a second owner</Button>
          <Text size="sm" c="dimmed" data-testid="lift-waiting">
            You asked to lift it {formatRelative(state.liftRequestedAt ?? '')}. A different owner must confirm.
          </Text>
        </Group>
      ) : (
        <Group>
          <Button color={requested ? 'green.8' : 'orange.8'} onClick={() => setConfirming(true)}>
            {requested ? 'Confirm and lift' : 'Ask to lift'}
          </Button>
        </Group>
      )}
      <ConfirmDialog
        opened={confirming}
        onClose={() => {
          setConfirming(false);
          lift.reset();
        }}
        title={requested ? 'Lift the lock-down?' : 'Ask to lift the lock-down?'}
        confirmLabel={requested ? 'Lift lock-down' : 'Ask to lift'}
        color={requested ? 'green.8' : 'orange.8'}
        pending={lift.isPending}
        error={lift.error}
        errorTitle="The lock-down was not lifted"
        onConfirm={() =>
          lift.mutate(undefined, {
            onSuccess: (after) => {
              setConfirming(false);
              notifications.show(
                after.active
                  ? {
                      color: 'orange',
                      title: 'Lift requested',
                      message: 'A second, different owner must confirm to lift the lock-down.',
                    }
                  : { color: 'green', title: 'Lock-down lifted', message: 'Reveals are open again.' },
              );
            },
          })
        }
      >
        {requested ? (
          <Text size="sm">
            <Who id={state.liftRequestedBy} people={people} meId={meId} unknown="Another owner" /> asked to lift it{' '}
            {formatDateTime(state.liftRequestedAt)}. Confirming lifts it at once: reveals open again for everyone who
            holds the permission. Make sure the incident is contained.
          </Text>
        ) : (
          <Text size="sm">
            Your request is recorded; the lock-down stays in force until a second, different owner confirms it.
          </Text>
        )}
      </ConfirmDialog>
    </Card>
  );
}

function History({ people }: { people: ReadonlyMap<string, Person> }) {
  const { me } = useAccess();
  const history = useLockdownHistory();
  const items = history.data?.items ?? [];
  const meId = me?.user.id;
  return (
    <Stack gap="sm" component="section" aria-labelledby="history-heading">
      <Title order={3} id="history-heading">
        History
      </Title>
      <QueryStatus
        query={history}
        loadingLabel="Loading the lock-down history"
        errorTitle="Could not load the history"
        loaderPy="md"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconShieldLock size={28} />}
            title="No lock-down so far"
            description="Each lock-down is listed here with who engaged it, who asked to lift it and who confirmed."
          />
        }
      />
      {items.length > 0 && (
        <ListTable
          minWidth={900}
          striped
          data-testid="lockdown-history"
          caption="Lock-downs, newest first"
          columns={['Engaged', 'By', 'Lift asked', 'Lifted', 'Lasted']}
        >
          {items.map((l) => (
            <Table.Tr key={l.id} data-active={l.active || undefined}>
              <Table.Td>
                <DateTimeText value={l.engagedAt} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  <EngagedBy state={l} people={people} meId={meId} bare />
                </Text>
              </Table.Td>
              <Table.Td>
                {l.liftRequestedBy ? (
                  <>
                    <DateTimeText value={l.liftRequestedAt} />
                    <Text size="xs">
                      by <Who id={l.liftRequestedBy} people={people} meId={meId} unknown="an owner" />
                    </Text>
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {l.active ? (
                  <Badge color="red.9" variant="filled" tt="none">
                    In force
                  </Badge>
                ) : (
                  <>
                    <DateTimeText value={l.liftedAt} />
                    <Text size="xs">
                      by <Who id={l.liftedBy} people={people} meId={meId} unknown="an owner" />
                    </Text>
                  </>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {durationText(l.engagedAt, l.liftedAt)}
                  {l.active ? ' so far' : ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
    </Stack>
  );
}
