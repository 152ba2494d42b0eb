import { Badge, Code, Drawer, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../lib/format.ts';
import { RiskForAuditEvent } from '../risk/RiskForAuditEvent.tsx';
import { outcomeColor } from './AuditTable.tsx';
import type { AuditEvent } from './audit.api.ts';

/** One entry in full. The log's schema is closed (no free text), so showing every field is safe. */
export function AuditEventDrawer({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  return (
    <Drawer
      opened={event !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={event ? `Audit entry ${event.seq}` : ''}
      closeButtonProps={{ 'aria-label': 'Close entry details' }}
    >
      {event && (
        <Stack gap="md">
          <Table variant="vertical" layout="fixed" withTableBorder>
            <Table.Tbody>
              <Row label="Sequence" value={<Code>{event.seq}</Code>} />
              <Row label="Time" value={formatDateTime(event.at)} />
              <Row label="Action" value={<Code>{event.action}</Code>} />
              <Row
                label="Outcome"
                value={
                  <Badge color={outcomeColor[event.outcome] ?? 'gray'} variant="light" tt="none">
                    {event.outcome}
                  </Badge>
                }
              />
              <Row label="Actor" value={<IdValue type={event.actorType} id={event.actorId} />} />
              <Row label="Target" value={<IdValue type={event.targetType} id={event.targetId} />} />
              {event.requestId && <Row label="Request id" value={<Code>{event.requestId}</Code>} />}
              {event.ipHash && <Row label="IP (keyed hash)" value={<Code>{event.ipHash}</Code>} />}
              {event.hash && <Row label="Entry hash" value={<Code>{event.hash}</Code>} />}
            </Table.Tbody>
          </Table>
          <div>
            <Text fw={600} size="sm" mb={4}>
              Details
            </Text>
            <Code block>
              {event.details && Object.keys(event.details).length > 0
                ? JSON.stringify(event.details, null, 2)
                : 'No details recorded.'}
            </Code>
          </div>
          <RiskForAuditEvent event={event} />
        </Stack>
      )}
    </Drawer>
  );
}

function Row({ label, value }: { label: string; value: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={120}>{label}</Table.Th>
      <Table.Td style={{ wordBreak: 'break-all' }}>{value}</Table.Td>
    </Table.Tr>
  );
}

function IdValue({ type, id }: { type: string | null; id: string | null }) {
  if (!type && !id) return <>—</>;
  return (
    <>
      {type} {id && <Code>{id}</Code>}
    </>
  );
}
