import { Alert, Badge, Button, Card, Center, Code, Loader, Stack, Table, Text } from '@mantine/core';
import { useAccess } from '../../app/permissions.ts';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconAlertTriangle, IconBolt, IconInbox } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { isApiError } from '../../lib/api-client.ts';
import { openElevationDialog } from '../elevation/elevation-store.ts';
import { IconRefresh } from '../mfa/mfa-icons.tsx';
import { useSmsOutbox } from './sms-outbox.api.ts';

/**
 * `/settings/sms-outbox`: the text messages a development install kept instead of sending (no SMS provider
 * configured), newest first, so sign-in and phone codes can be tried without a phone. Reading them is a
 * privileged, audited action (`users.manage`); a server with a provider has no outbox (404).
 */
export function SmsOutboxPage() {
  const { access } = useAccess();
  const inForce = access('users.manage') === 'granted';
  const outbox = useSmsOutbox(inForce);
  const notInUse = isApiError(outbox.error) && outbox.error.code === 'sms_outbox.not_in_use';
  const items = outbox.data?.items ?? [];

  return (
    <Stack gap="lg" maw={1100}>
      <title>SMS outbox · Strongroom</title>
      <PageHeader
        title="SMS outbox"
        description="Text messages this development install kept instead of sending them."
        actions={
          inForce &&
          !notInUse && (
            <Button
              variant="default"
              leftSection={<IconRefresh size={16} />}
              onClick={() => outbox.refetch()}
              loading={outbox.isFetching}
            >
              Refresh
            </Button>
          )
        }
      />
      {!inForce && (
        <EmptyStateCard
          icon={<IconBolt size={28} />}
          title="Reading the outbox needs elevation"
          description="The messages hold sign-in codes and phone numbers, so reading them is a privileged action that is recorded in the audit log. Elevate your session, then come back."
          action={
            <Button
              leftSection={<IconBolt size={16} />}
              onClick={() => openElevationDialog('Reading the SMS outbox is a privileged action: elevate first.')}
            >
              Elevate
            </Button>
          }
        />
      )}
      {inForce && outbox.isPending && (
        <Center py="xl">
          <Loader aria-label="Loading the SMS outbox" />
        </Center>
      )}
      {notInUse && (
        <EmptyStateCard
          icon={<IconInbox size={28} />}
          title="No outbox: messages are really sent"
          description="This server sends text messages through the configured SMS provider, so there is nothing to read here."
        />
      )}
      {outbox.isError && !notInUse && (
        <ErrorAlert error={outbox.error} title="Could not read the SMS outbox" onRetry={() => outbox.refetch()} />
      )}
      {outbox.isSuccess && (
        <>
          <Alert
            color="yellow"
            variant="light"
            icon={<IconAlertTriangle />}
            title="Only for development installs"
            data-testid="sms-outbox-note"
          >
            No SMS provider is configured (<Code>STRONGROOM_SMS_PROVIDER_URL</Code>), so Strongroom keeps text messages
            here, encrypted, instead of sending them. Anyone allowed to read this page can read sign-in codes. Configure
            a provider before real use; this page then goes away. Each reading is recorded in the audit log.
          </Alert>
          {items.length === 0 ? (
            <EmptyStateCard
              icon={<IconInbox size={28} />}
              title="No messages yet"
              description={'Messages appear here when someone adds a phone in My account or chooses "Text me a code".'}
            />
          ) : (
            <Card withBorder padding={0}>
              <Table.ScrollContainer minWidth={720}>
                <Table verticalSpacing="sm" horizontalSpacing="md" data-testid="sms-outbox-table" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col" w={170}>
                        Time
                      </Table.Th>
                      <Table.Th scope="col" w={190}>
                        To
                      </Table.Th>
                      <Table.Th scope="col">Message</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((m, i) => (
                      <Table.Tr key={m.id} data-message-id={m.id}>
                        <Table.Td>
                          <DateTimeText value={m.createdAt} relative />
                          {i === 0 && (
                            <Badge size="xs" variant="light" tt="none" mt={4}>
                              newest
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" ff="monospace">
                            {m.to}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text
                            size="sm"
                            style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
                            data-testid="sms-text"
                          >
                            {m.text}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )}
          <Text size="xs" c="dimmed">
            The newest {items.length} {items.length === 1 ? 'message' : 'messages'}, newest first (at most 50).
          </Text>
        </>
      )}
    </Stack>
  );
}
