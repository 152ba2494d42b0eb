import { Code, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { ConfirmItemDialog } from '../../components/ConfirmItemDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { IconPlus } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { PrivilegedButton, PrivilegedRowAction } from '../elevation/PrivilegedButton.tsx';
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
      <QueryStatus
        query={webhooks}
        loadingLabel="Loading webhooks"
        errorTitle="Could not load the webhooks"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconWebhook size={28} />}
            title="No webhooks yet"
            description="Add one to send alerts to your SIEM, pager or chat tool; each delivery is signed with a secret shown once."
            action={addButton}
          />
        }
      />
      {items.length > 0 && (
        <ListTable
          minWidth={860}
          striped
          data-testid="webhooks-table"
          caption="Alert webhooks"
          columns={['Name', 'URL', 'Sends', 'Added', 'Action']}
        >
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
                <PrivilegedRowAction
                  permission="detection.manage"
                  onClick={() => setDeleting(w)}
                  aria-label={`Delete ${w.name}`}
                >
                  Delete
                </PrivilegedRowAction>
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      <AddWebhookModal opened={adding} onClose={closeAdd} />
      <ConfirmItemDialog
        item={deleting}
        onClose={() => setDeleting(null)}
        resetOnClose
        mutation={remove}
        variables={(w) => w.id}
        done={(w) => ({ title: 'Webhook deleted', message: `Alerts are no longer sent to “${w.name}”.` })}
        title={`Delete the webhook “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete webhook"
        color="red"
      >
        <Text size="sm">
          Alerts stop going to <Code>{deleting?.url}</Code> from now on. Email and SMS alerts are not affected.
        </Text>
      </ConfirmItemDialog>
    </Stack>
  );
}
