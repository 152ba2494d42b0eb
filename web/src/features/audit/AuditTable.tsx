import { Badge, Button, Code, Group, Table, Text } from '@mantine/core';
import { ListTable } from '../../components/ListTable.tsx';
import { formatDateTimeParts } from '../../lib/format.ts';
import type { AuditEvent } from './audit.api.ts';

export const outcomeColor: Record<string, string> = { success: 'green', failure: 'red', denied: 'orange' };

/** Ids are long UUIDs: the first 8 characters identify one at a glance; the title and drawer show it whole. */
function shortId(id: string): string {
  return id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

function detailsPreview(details: AuditEvent['details']): string {
  if (!details || Object.keys(details).length === 0) return '—';
  return JSON.stringify(details);
}

function When({ at }: { at: string }) {
  const parts = formatDateTimeParts(at);
  if (!parts) return <Text size="sm">{at}</Text>;
  return (
    <time dateTime={at}>
      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
        {parts.date}
      </Text>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {parts.time}
      </Text>
    </time>
  );
}

/** "user" above "707f2b3c…", so every row keeps the same shape whatever the id. */
function Party({ type, id }: { type: string | null; id: string | null }) {
  if (!type && !id) return <Text size="sm">—</Text>;
  return (
    <>
      <Text size="sm">{type ?? '—'}</Text>
      {id && (
        <Text size="xs" ff="monospace" c="dimmed" title={id}>
          {shortId(id)}
        </Text>
      )}
    </>
  );
}

interface AuditTableProps {
  items: AuditEvent[];
  onOpen: (event: AuditEvent) => void;
}

export function AuditTable({ items, onOpen }: AuditTableProps) {
  return (
    <ListTable
      minWidth={900}
      striped
      highlightOnHover
      data-testid="audit-table"
      caption="Audit log entries, newest first"
      columns={['Seq', 'Time', 'Action', 'Outcome', 'Actor', 'Target', 'Details']}
    >
      {items.map((e) => (
        <Table.Tr key={e.seq} data-seq={e.seq}>
          <Table.Td ff="monospace" fz="sm">
            {e.seq}
          </Table.Td>
          <Table.Td>
            <When at={e.at} />
          </Table.Td>
          <Table.Td>
            <Code style={{ whiteSpace: 'nowrap' }}>{e.action}</Code>
          </Table.Td>
          <Table.Td>
            <Badge color={outcomeColor[e.outcome] ?? 'gray'} variant="light" tt="none" miw="max-content">
              {e.outcome}
            </Badge>
          </Table.Td>
          <Table.Td>
            <Party type={e.actorType} id={e.actorId} />
          </Table.Td>
          <Table.Td>
            <Party type={e.targetType} id={e.targetId} />
          </Table.Td>
          <Table.Td>
            <Group gap="xs" wrap="nowrap">
              <Text size="xs" ff="monospace" truncate w={140}>
                {detailsPreview(e.details)}
              </Text>
              <Button variant="subtle" size="compact-sm" onClick={() => onOpen(e)} aria-label={`View entry ${e.seq}`}>
                View
              </Button>
            </Group>
          </Table.Td>
        </Table.Tr>
      ))}
    </ListTable>
  );
}
