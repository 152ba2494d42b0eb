import { Badge, Button, Card, Center, Loader, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { sessionEndLabel } from '../users/labels.ts';
import type { MySession } from './account.api.ts';
import { useEndMySession, useMySessions } from './account.api.ts';

function SessionState({ s }: { s: MySession }) {
  if (s.current)
    return (
      <Badge color="green" variant="filled" tt="none">
        This browser
      </Badge>
    );
  if (!s.endedAt)
    return (
      <Badge color="orange" variant="light" tt="none">
        Live elsewhere
      </Badge>
    );
  return (
    <>
      <Badge color="gray" variant="light" tt="none">
        Ended
      </Badge>
      <Text size="xs" c="dimmed">
        {sessionEndLabel[s.endReason ?? ''] ?? s.endReason}
      </Text>
    </>
  );
}

/** My recent sessions: the live one (marked) and those that ended, with why; a live one elsewhere can be ended. */
export function MySessionsCard() {
  const sessions = useMySessions();
  const end = useEndMySession();
  const [ending, setEnding] = useState<MySession | null>(null);
  const items = sessions.data?.items ?? [];

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="my-sessions-heading">
      <Title order={3} size="h4" id="my-sessions-heading" mb={4}>
        Sessions
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        One session at a time: signing in elsewhere ends this one. If you see a session you do not recognise, end it and
        change your password.
      </Text>
      {sessions.isPending && (
        <Center py="md">
          <Loader size="sm" aria-label="Loading your sessions" />
        </Center>
      )}
      {sessions.isError && (
        <ErrorAlert error={sessions.error} title="Could not load your sessions" onRetry={() => sessions.refetch()} />
      )}
      {sessions.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          No sessions recorded.
        </Text>
      )}
      {items.length > 0 && (
        <ListTable
          minWidth={760}
          data-testid="my-sessions"
          columns={['State', 'Started', 'Last active', 'Ends / ended', 'Network', 'Action']}
        >
          {items.map((s) => (
            <Table.Tr key={s.id} data-current={s.current || undefined} data-session-id={s.id}>
              <Table.Td>
                <SessionState s={s} />
              </Table.Td>
              <Table.Td>
                <DateTimeText value={s.createdAt} />
              </Table.Td>
              <Table.Td>
                <DateTimeText value={s.lastSeenAt} relative />
              </Table.Td>
              <Table.Td>
                <DateTimeText value={s.endedAt ?? s.expiresAt} />
              </Table.Td>
              <Table.Td>
                <Text
                  size="xs"
                  ff="monospace"
                  c="dimmed"
                  title="A keyed hash of the IP address: equal values mean the same address"
                >
                  {s.ipHash ? s.ipHash.slice(0, 8) : '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                {s.current ? (
                  <Text size="xs" c="dimmed">
                    Use Sign out
                  </Text>
                ) : !s.endedAt ? (
                  <Button size="compact-sm" variant="default" color="red" onClick={() => setEnding(s)}>
                    End session
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      <ConfirmDialog
        opened={ending !== null}
        onClose={() => setEnding(null)}
        title="End this session?"
        confirmLabel="End session"
        color="red"
        pending={end.isPending}
        error={end.error}
        onConfirm={() =>
          ending &&
          end.mutate(ending.id, {
            onSuccess: () => {
              notifications.show({ color: 'green', title: 'Session ended', message: 'That browser is signed out.' });
              setEnding(null);
            },
          })
        }
      >
        <Text size="sm">
          The session started {ending ? formatDateTime(ending.createdAt) : ''} is signed out at once; whoever uses it
          must sign in again with your password and authenticator.
        </Text>
      </ConfirmDialog>
    </Card>
  );
}
