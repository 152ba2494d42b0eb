import { Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';
import { useAccess } from '../../app/permissions.ts';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { IconPlus } from '../../components/icons.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { IconBuilding, IconUpload } from '../vault/vault-icons.tsx';
import { CreateOwnerModal } from './CreateOwnerModal.tsx';
import { useOwners } from './owners.api.ts';

const numberFormat = new Intl.NumberFormat();

/** `/owners`: the third parties whose records Strongroom holds (DAT-09); created with `owners.manage`. */
export function OwnersPage() {
  const owners = useOwners();
  const { holds } = useAccess();
  const [creating, { open, close }] = useDisclosure(false);
  const items = owners.data?.items ?? [];
  const canCreate = holds('owners.manage');

  const createButton = canCreate ? (
    <Button leftSection={<IconPlus size={16} />} onClick={open}>
      New data owner
    </Button>
  ) : null;
  const importButton =
    holds('records.write') && items.length > 0 ? (
      <Button component={Link} to="/records/import" variant="default" leftSection={<IconUpload size={16} />}>
        Import records
      </Button>
    ) : null;

  return (
    <Stack gap="lg">
      <title>Data owners · Strongroom</title>
      <PageHeader
        title="Data owners"
        description="The clients and partners whose records Strongroom holds. Each record belongs to one, so it can be told when something happens to its data."
        actions={
          createButton || importButton ? (
            <Group gap="sm">
              {importButton}
              {createButton}
            </Group>
          ) : null
        }
      />
      <QueryStatus
        query={owners}
        loadingLabel="Loading data owners"
        errorTitle="Could not load the data owners"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconBuilding size={28} />}
            title="No data owners yet"
            description={
              canCreate
                ? 'Create the first one before importing records: every record must name the owner it came from.'
                : 'Someone with the “owners.manage” permission creates them; records can be imported after that.'
            }
            action={createButton}
          />
        }
      />
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing={6} data-testid="owners-table">
            <caption>
              <VisuallyHidden>Data owners, by name</VisuallyHidden>
            </caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Contact emails</Table.Th>
                <Table.Th scope="col" style={{ textAlign: 'right' }}>
                  Records
                </Table.Th>
                <Table.Th scope="col">Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((o) => (
                <Table.Tr key={o.id} data-owner-id={o.id} data-name={o.name}>
                  <Table.Th scope="row" fw={600}>
                    <Text size="sm" fw={600}>
                      {o.name}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    {o.contactEmails.length ? (
                      <Stack gap={0}>
                        {o.contactEmails.map((e) => (
                          <Text key={e} size="sm" style={{ wordBreak: 'break-all' }}>
                            {e}
                          </Text>
                        ))}
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
                    <Text size="sm">{numberFormat.format(o.records)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <DateTimeText value={o.createdAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateOwnerModal opened={creating} onClose={close} />
    </Stack>
  );
}
