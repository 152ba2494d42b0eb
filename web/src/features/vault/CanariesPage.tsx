import { Alert, Badge, Button, Code, List, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { DateTimeText } from '../../components/DateTimeText.tsx';
import { EmptyStateCard } from '../../components/EmptyStateCard.tsx';
import { IconInfo, IconPlus } from '../../components/icons.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryStatus } from '../../components/QueryStatus.tsx';
import { shortId } from '../../lib/format.ts';
import { useOwnerNames } from '../owners/owners.api.ts';
import { PlantCanaryModal } from './PlantCanaryModal.tsx';
import { useCanaries } from './vault.api.ts';
import { IconCanary } from './vault-icons.tsx';

/**
 * `/security/canaries` (`canaries.manage` only; LOG-04): decoy records that nobody has a reason to reveal.
 * The list says where each one hides; it never shows their (made-up) contents.
 */
export function CanariesPage() {
  const canaries = useCanaries();
  const ownerNames = useOwnerNames();
  const [planting, { open, close }] = useDisclosure(false);
  const items = canaries.data?.items ?? [];

  const plantButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={open}>
      Plant a canary
    </Button>
  );

  return (
    <Stack gap="lg">
      <title>Canaries · Strongroom</title>
      <PageHeader
        title="Canaries"
        description="Decoy records planted among real ones. Nobody has a reason to reveal one, so a reveal means someone is browsing data they should not."
        actions={plantButton}
      />
      <Alert variant="light" color="blue" icon={<IconInfo />} title="What happens when a canary is revealed">
        <List size="sm" spacing={2}>
          <List.Item>
            A <strong>critical</strong> alert is raised at once, and emailed to every owner and security analyst when
            mail is set up.
          </List.Item>
          <List.Item>
            The account that revealed it is locked and its IP address blocked, without waiting for anyone.
          </List.Item>
          <List.Item>
            The audit log records the reveal (<Code>vault.canary.touched</Code>) and every search that returned it (
            <Code>vault.canary.hit</Code>).
          </List.Item>
        </List>
        <Text size="sm" mt="xs">
          This list is visible only to people who manage canaries; to everyone else a canary is an ordinary record.
        </Text>
      </Alert>
      <QueryStatus
        query={canaries}
        loadingLabel="Loading canaries"
        errorTitle="Could not load the canaries"
        isEmpty={items.length === 0}
        emptyState={
          <EmptyStateCard
            icon={<IconCanary size={28} />}
            title="No canaries yet"
            description="Plant one under each data owner whose records are most sought after: it costs nothing until someone reveals it."
            action={plantButton}
          />
        }
      />
      {items.length > 0 && (
        <ListTable
          minWidth={640}
          striped
          data-testid="canaries-table"
          caption="Canary records, newest first"
          columns={['Canary', 'Data owner', 'Planted', 'State']}
        >
          {items.map((c) => (
            <Table.Tr key={c.id} data-canary-id={c.id}>
              <Table.Td>
                <Code title={c.id}>{shortId(c.id)}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{ownerNames.get(c.ownerId) ?? `Owner ${shortId(c.ownerId)}`}</Text>
              </Table.Td>
              <Table.Td>
                <DateTimeText value={c.createdAt} relative />
              </Table.Td>
              <Table.Td>
                {c.shredded ? (
                  <Badge color="gray" variant="light" tt="none">
                    Shredded
                  </Badge>
                ) : (
                  <Badge color="green" variant="light" tt="none">
                    Armed
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      <PlantCanaryModal opened={planting} onClose={close} />
    </Stack>
  );
}
