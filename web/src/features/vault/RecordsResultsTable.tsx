import { Button, Table, Text, VisuallyHidden } from '@mantine/core';
import { shortId } from '../../lib/format.ts';
import { searchColumns } from './field-catalogue.ts';
import type { MaskedRecord } from './vault.api.ts';
import { IconEye } from './vault-icons.tsx';

interface RecordsResultsTableProps {
  items: MaskedRecord[];
  ownerNames: Map<string, string>;
  /** Whether the signed-in person may reveal records of this owner (their grant's scope). */
  canReveal: (ownerId: string) => boolean;
  onReveal: (record: MaskedRecord) => void;
}

const empty = (
  <Text size="sm" c="dimmed">
    <span aria-hidden="true">—</span>
    <VisuallyHidden>not given</VisuallyHidden>
  </Text>
);

/** Masked values only (the server never sends more here); one Reveal per row, which opens the dialog. */
export function RecordsResultsTable({ items, ownerNames, canReveal, onReveal }: RecordsResultsTableProps) {
  const anyReveal = items.some((r) => canReveal(r.ownerId));
  return (
    <Table.ScrollContainer minWidth={980}>
      <Table striped highlightOnHover verticalSpacing={6} data-testid="records-table">
        <caption>
          <VisuallyHidden>Matching records, masked, newest first</VisuallyHidden>
        </caption>
        <Table.Thead>
          <Table.Tr>
            {searchColumns.map((c) => (
              <Table.Th key={c.name} scope="col">
                {c.label}
              </Table.Th>
            ))}
            <Table.Th scope="col">Data owner</Table.Th>
            {anyReveal && (
              <Table.Th scope="col">
                <VisuallyHidden>Action</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r, i) => {
            const name = r.masked.fullName ?? r.masked.email ?? `record ${i + 1}`;
            return (
              <Table.Tr key={r.id} data-record-id={r.id}>
                {searchColumns.map((c) => (
                  <Table.Td key={c.name}>
                    {r.masked[c.name] ? (
                      <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {r.masked[c.name]}
                      </Text>
                    ) : (
                      empty
                    )}
                  </Table.Td>
                ))}
                <Table.Td>
                  <Text size="sm" title={r.ownerId}>
                    {ownerNames.get(r.ownerId) ?? `Owner ${shortId(r.ownerId)}`}
                  </Text>
                </Table.Td>
                {anyReveal && (
                  <Table.Td style={{ textAlign: 'right' }}>
                    {canReveal(r.ownerId) && (
                      <Button
                        size="compact-sm"
                        variant="light"
                        leftSection={<IconEye size={14} />}
                        onClick={() => onReveal(r)}
                        aria-label={`Reveal ${name} (row ${i + 1})`}
                      >
                        Reveal
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
