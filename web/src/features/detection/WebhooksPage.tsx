import { Center, Code, Loader, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { IconPlus } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PrivilegedButton } from '../elevation/PrivilegedButton.tsx';
import { PersonText } from '../users/user-display.tsx';
import { usePeople } from '../users/users.api.ts';
import { AddWebhookModal } from './AddWebhookModal.tsx';
import type { Webhook } from './detection.api.ts';
import { useDeleteWebhook, useWebhooks } from './detection.api.ts';
import { SeverityBadge } from './detection-display.tsx';
import { IconWebhook } from './detection-icons.tsx';

/** `/settings/webhooks`: where alerts are sent besides email and SMS (a SIEM, a pager), signed. */
export function WebhooksPage() {
  const webhooks = useWebhooks();
  const people = usePeople();
  const remove = useDeleteWebhook();
  const [adding, { open: openAdd, close: closeAdd }] = useDisclosure(false);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const items = webhooks.data?.items ?? [];

  const addButton = (
    <PrivilegedButton permission="detection.manage" leftSection={<IconPlus size={16} />} onClick={openAdd}>
      Add webhook
    </PrivilegedButton>
  );

  return (
    <Stack gap="lg">
      <title>Webhooks · Strongroom</title>
      <PageHeader
        title="Alert webhooks"
        description="Alerts at or above a severity are sent to these endpoints as signed JSON, with retries, besides email and SMS."
        actions={addButton}
      />
      {webhooks.isPending && (
        <Center py="xl">
          <Loader aria-label="Loading webhooks" />
        </Center>
      )}
      {webhooks.isError && (
        <ErrorAlert error={webhooks.error} title="Could not load the webhooks" onRetry={() => webhooks.refetch()} />
      )}
      {webhooks.isSuccess && items.length === 0 && (
        <EmptyStateCard
          icon={<IconWebhook size={28} />}
          title="No webhooks yet"
          description="Add one to send alerts to your SIEM, pager or chat tool; each delivery is signed with a secret shown once."
          action={addButton}
        />
      )}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped verticalSpacing={6} data-testid="webhooks-table">
            <caption>
              <VisuallyHidden>Alert webhooks</VisuallyHidden>
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">URL</Table.Th>
                <Table.Th scope="col">Sends</Table.Th>
                <Table.Th scope="col">Added</Table.Th>
                <Table.Th scope="col">Action</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((w) => (
                <Table.Tr key={w.id} data-webhook-id={w.id} data-name={w.name}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {w.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code style={{ wordBreak: 'break-all' }}>{w.url}</Code>
                  </Table.Td>
                  <Table.Td>
                    <SeverityBadge severity={w.minSeverity} />
                    <Text size="xs" c="dimmed">
                      {w.minSeverity === 'critical' ? 'only' : 'and above'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <DateTimeText value={w.createdAt} />
                    <Text size="xs">
                      by <PersonText id={w.createdBy} people={people.byId} />
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <PrivilegedButton
                      permission="detection.manage"
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      onClick={() => setDeleting(w)}
                      aria-label={`Delete ${w.name}`}
                    >
                      Delete
                    </PrivilegedButton>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <AddWebhookModal opened={adding} onClose={closeAdd} />
      <ConfirmDialog
        opened={deleting !== null}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        title={`Delete the webhook “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete webhook"
        color="red"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => {
              notifications.show({
                color: 'green',
                title: 'Webhook deleted',
                message: `Alerts are no longer sent to “${deleting.name}”.`,
              });
              setDeleting(null);
            },
          })
        }
      >
        <Text size="sm">
          Alerts stop going to <Code>{deleting?.url}</Code> from now on. Email and SMS alerts are not affected.
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}
