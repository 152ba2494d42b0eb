import { Badge, Code, Group, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { ConfirmItemDialog } from '../../components/ConfirmItemDialog.tsx';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { IconKey, IconPlus } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { PrivilegedButton, PrivilegedRowAction } from '../elevation/PrivilegedButton.tsx';
import { PersonText } from '../users/user-display.tsx';
import { usePeople } from '../users/users.api.ts';
import { CreateServiceTokenModal } from './CreateServiceTokenModal.tsx';
import type { ServiceToken } from './service-tokens.api.ts';
import { useRevokeServiceToken, useServiceTokens } from './service-tokens.api.ts';

function TokenState({ t }: { t: ServiceToken }) {
  if (t.revokedAt)
    return (
      <Badge color="gray" variant="light" tt="none">
        Revoked
      </Badge>
    );
  if (t.expiresAt && Date.parse(t.expiresAt) <= Date.now())
    return (
      <Badge color="gray" variant="light" tt="none">
        Expired
      </Badge>
    );
  return (
    <Badge color="green" variant="light" tt="none">
      Active
    </Badge>
  );
}

/** `/settings/service-tokens`: credentials of ingestion clients, scoped and bound to networks. */
export function ServiceTokensPage() {
  const tokens = useServiceTokens();
  const people = usePeople();
  const revoke = useRevokeServiceToken();
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const [revoking, setRevoking] = useState<ServiceToken | null>(null);
  const items = tokens.data?.items ?? [];

  const createButton = (
    <PrivilegedButton
      permission="service_tokens.manage"
      leftSection={<IconPlus size={16} />}
      onClick={openCreate}
      elevationHint="Creating a service token is a privileged action: elevate first."
    >
      Create token
    </PrivilegedButton>
  );

  return (
    <Stack gap="lg">
      <title>Service tokens · Strongroom</title>
      <PageHeader
        title="Service tokens"
        description="Ingestion clients add records with a token: scoped, usable only from the networks you list, shown once."
        actions={createButton}
      />
      <QueryStatus
        query={tokens}
        loadingLabel="Loading service tokens"
        errorTitle="Could not load the service tokens"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconKey size={28} />}
            title="No service tokens yet"
            description="Create one for each client that loads records (a CRM export, a nightly job), limited to the addresses it calls from."
            action={createButton}
          />
        }
      />
      {items.length > 0 && (
        <ListTable
          minWidth={1000}
          striped
          data-testid="service-tokens-table"
          columns={['Name', 'State', 'Scopes', 'Allowed CIDRs', 'Created', 'Expires', 'Last used', 'Action']}
        >
          {items.map((t) => (
            <Table.Tr key={t.id} data-token-id={t.id} data-name={t.name}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {t.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <TokenState t={t} />
                {t.revokedAt && <DateTimeText value={t.revokedAt} />}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {t.scopes.map((s) => (
                    <Code key={s}>{s}</Code>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Stack gap={2}>
                  {t.allowedCidrs.map((c) => (
                    <Code key={c}>{c}</Code>
                  ))}
                </Stack>
              </Table.Td>
              <Table.Td>
                <DateTimeText value={t.createdAt} />
                <Text size="xs">
                  by <PersonText id={t.createdBy} people={people.byId} />
                </Text>
              </Table.Td>
              <Table.Td>
                <DateTimeText value={t.expiresAt} relative empty="Never" />
              </Table.Td>
              <Table.Td>
                <DateTimeText value={t.lastUsedAt} relative empty="Never" />
              </Table.Td>
              <Table.Td>
                {!t.revokedAt && (
                  <PrivilegedRowAction
                    permission="service_tokens.manage"
                    onClick={() => setRevoking(t)}
                    aria-label={`Revoke ${t.name}`}
                    elevationHint="Revoking a service token is a privileged action: elevate first."
                  >
                    Revoke
                  </PrivilegedRowAction>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      <CreateServiceTokenModal opened={creating} onClose={closeCreate} />
      <ConfirmItemDialog
        item={revoking}
        onClose={() => setRevoking(null)}
        mutation={revoke}
        variables={(t) => t.id}
        done={(t) => ({ title: 'Token revoked', message: `“${t.name}” no longer works.` })}
        title={`Revoke the token “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        color="red"
      >
        <Text size="sm">
          The client using “{revoking?.name}” is refused from its next call. This cannot be undone; create a new token
          to reconnect it.
        </Text>
      </ConfirmItemDialog>
    </Stack>
  );
}
