import { Alert, Badge, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { ConfirmItemDialog } from '../../components/ConfirmItemDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { IconCheck, IconInfo, IconNetwork, IconPlus } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { PrivilegedButton, PrivilegedRowAction } from '../elevation/PrivilegedButton.tsx';
import { PersonText } from '../users/user-display.tsx';
import { usePeople } from '../users/users.api.ts';
import { AddAllowlistEntryModal } from './AddAllowlistEntryModal.tsx';
import type { AllowlistEntry } from './ip-allowlist.api.ts';
import { useAllowlist, useRemoveAllowlistEntry } from './ip-allowlist.api.ts';

/** `/settings/ip-allowlist`: where confidential data may be reached from (IAM-13). */
export function IpAllowlistPage() {
  const list = useAllowlist();
  const people = usePeople();
  const remove = useRemoveAllowlistEntry();
  const [adding, { open: openAdd, close: closeAdd }] = useDisclosure(false);
  const [removing, setRemoving] = useState<AllowlistEntry | null>(null);

  const items = list.data?.items ?? [];
  const globals = items.filter((e) => e.userId === null);
  const lastGlobal = removing?.userId === null && globals.length === 1;

  const addButton = (
    <PrivilegedButton
      permission="settings.manage"
      leftSection={<IconPlus size={16} />}
      onClick={openAdd}
      elevationHint="Changing the allow-list is a privileged action: elevate first."
    >
      Add entry
    </PrivilegedButton>
  );

  return (
    <Stack gap="lg" maw={1100}>
      <title>IP allow-list · Strongroom</title>
      <PageHeader
        title="IP allow-list"
        description="Confidential data (revealing full records) can be reached only from these networks (IAM-13)."
        actions={addButton}
      />
      <QueryStatus query={list} loadingLabel="Loading the allow-list" errorTitle="Could not load the allow-list" />
      {list.data &&
        (list.data.usingDefaults ? (
          <Alert
            color="blue"
            variant="light"
            icon={<IconInfo />}
            title="Built-in defaults in force"
            data-testid="allowlist-defaults"
          >
            <Text size="sm" mb="xs">
              No global entry has been added, so confidential data can be reached from this machine and private networks
              only. The first global entry you add replaces these:
            </Text>
            <Group gap={6}>
              {list.data.defaults.map((d) => (
                <Badge key={d} variant="outline" color="gray" tt="none" ff="monospace">
                  {d}
                </Badge>
              ))}
            </Group>
          </Alert>
        ) : (
          <Alert
            color="green"
            variant="light"
            icon={<IconCheck />}
            title="Your list is in force"
            data-testid="allowlist-defaults"
          >
            Only the global entries below apply; the built-in private ranges no longer do. Removing the last global
            entry brings them back.
          </Alert>
        ))}
      {list.isSuccess && items.length === 0 && (
        <EmptyStateCard
          icon={<IconNetwork size={28} />}
          title="No entries yet"
          description="Add your office or VPN ranges to allow confidential data only from there, or a personal entry to narrow one person’s access."
          action={addButton}
        />
      )}
      {items.length > 0 && (
        <Card withBorder padding="lg" component="section" aria-labelledby="entries-heading">
          <Title order={3} size="h4" id="entries-heading" mb="sm">
            Entries
          </Title>
          <ListTable
            minWidth={720}
            striped
            data-testid="allowlist-table"
            columns={['CIDR', 'Applies to', 'Label', 'Added', 'Action']}
          >
            {items.map((e) => (
              <Table.Tr key={e.id} data-cidr={e.cidr}>
                <Table.Td>
                  <Code>{e.cidr}</Code>
                </Table.Td>
                <Table.Td>
                  {e.userId ? (
                    <PersonText id={e.userId} people={people.byId} />
                  ) : (
                    <Badge variant="light" tt="none">
                      Everyone
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{e.label}</Text>
                </Table.Td>
                <Table.Td>
                  <DateTimeText value={e.createdAt} />
                </Table.Td>
                <Table.Td>
                  <PrivilegedRowAction
                    permission="settings.manage"
                    onClick={() => setRemoving(e)}
                    aria-label={`Remove ${e.cidr} (${e.label})`}
                    elevationHint="Changing the allow-list is a privileged action: elevate first."
                  >
                    Remove
                  </PrivilegedRowAction>
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        </Card>
      )}
      <AddAllowlistEntryModal opened={adding} onClose={closeAdd} usingDefaults={list.data?.usingDefaults ?? true} />
      <ConfirmItemDialog
        item={removing}
        onClose={() => setRemoving(null)}
        mutation={remove}
        variables={(e) => e.id}
        done={(e) => ({ title: 'Entry removed', message: `${e.cidr} is off the allow-list.` })}
        title={`Remove ${removing?.cidr ?? ''} (${removing?.label ?? ''})?`}
        confirmLabel="Remove entry"
        color="red"
      >
        <Text size="sm">
          {removing?.userId
            ? 'The personal restriction goes: that person is held to the global list only.'
            : lastGlobal
              ? 'It is the last global entry: the built-in defaults (this machine and private networks) apply again.'
              : 'Confidential data can no longer be reached from this network, unless another entry covers it.'}
        </Text>
      </ConfirmItemDialog>
    </Stack>
  );
}
