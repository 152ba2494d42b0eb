import { Code, Drawer, Stack, Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../lib/format.ts';
import { RiskExplanation } from './RiskExplanation.tsx';
import { type Assessment, useIndicators } from './risk.api.ts';

export function AssessmentDrawer({ a, onClose }: { a: Assessment | null; onClose: () => void }) {
  const specs = useIndicators();
  const descriptions = new Map((specs.data?.items ?? []).map((s) => [s.id, s.description]));
  return (
    <Drawer
      opened={a !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={a ? `Risk assessment · ${a.stage === 'login' ? 'sign-in' : 'reveal'}` : ''}
      closeButtonProps={{ 'aria-label': 'Close assessment' }}
    >
      {a && (
        <Stack gap="md">
          <RiskExplanation a={a} descriptions={descriptions} />
          <Table variant="vertical" layout="fixed" withTableBorder>
            <Table.Tbody>
              <Row label="Time" value={formatDateTime(a.at)} />
              <Row label="User" value={<Code>{a.userId}</Code>} />
              {a.sessionId && <Row label="Session" value={<Code>{a.sessionId}</Code>} />}
              <Row label="Client" value={<Code>{a.client}</Code>} />
              <Row label="Country" value={a.country ?? '—'} />
              <Row label="Network (AS)" value={a.asn ?? '—'} />
              {a.ipHash && <Row label="IP (keyed hash)" value={<Code>{a.ipHash}</Code>} />}
              {a.requestId && <Row label="Request id" value={<Code>{a.requestId}</Code>} />}
              <Row label="Assessment" value={<Code>{a.id}</Code>} />
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Drawer>
  );
}

function Row({ label, value }: { label: string; value: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={140}>{label}</Table.Th>
      <Table.Td style={{ wordBreak: 'break-all' }}>{value}</Table.Td>
    </Table.Tr>
  );
}
