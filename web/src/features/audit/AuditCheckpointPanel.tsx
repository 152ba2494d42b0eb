import { Badge, Button, Card, Code, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { CopyField } from '../../components/CopyField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import type { SignedCheckpoint } from './audit.api.ts';
import { useAuditStatus } from './audit.api.ts';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={110} fw={500} c="dimmed" fz="sm">
        {label}
      </Table.Th>
      <Table.Td style={{ wordBreak: 'break-all' }}>{children}</Table.Td>
    </Table.Tr>
  );
}

/** Saves the checkpoint as the server files and mails it: `strongroom audit verify --bundle B --checkpoint this`. */
function downloadCheckpoint(c: SignedCheckpoint) {
  const blob = new Blob([`${JSON.stringify(c, null, 2)}\n`], { type: 'application/json' });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = `strongroom-checkpoint-${c.body.treeSize}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
}

/**
 * The latest signed checkpoint — the fingerprint an auditor compares with the copy they hold (file or email) —
 * with how much of the log is still waiting to be sequenced and what retention has pruned.
 */
export function AuditCheckpointPanel() {
  const status = useAuditStatus();
  const s = status.data;
  const cp = s?.latestCheckpoint;
  return (
    <Card
      withBorder
      padding="lg"
      component="section"
      aria-labelledby="checkpoint-heading"
      data-testid="audit-checkpoint"
    >
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Title order={3} size="h4" id="checkpoint-heading">
            Latest signed checkpoint
          </Title>
          <Text size="sm" c="dimmed">
            A Merkle root over the whole log, signed with the server's Ed25519 key and kept off the database.
          </Text>
        </div>
        {cp && (
          <Button variant="default" size="xs" onClick={() => downloadCheckpoint(cp)}>
            Save checkpoint
          </Button>
        )}
      </Group>
      {status.isPending && <Skeleton h={140} />}
      {status.isError && <ErrorAlert error={status.error} title="Could not load the checkpoint" />}
      {s && !cp && (
        <Text size="sm" c="dimmed">
          No checkpoint yet: the first is signed within seconds of the first entries.
        </Text>
      )}
      {cp && (
        <Stack gap="xs">
          <CopyField label="Fingerprint" value={cp.fingerprint} data-testid="checkpoint-fingerprint" fw={700} />
          <Table variant="vertical" layout="fixed" withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              <Row label="Entries">
                <Text size="sm" data-testid="checkpoint-size">
                  {cp.body.treeSize.toLocaleString()}
                </Text>
              </Row>
              <Row label="Root hash">
                <Code fz="xs" data-testid="checkpoint-root">
                  {cp.body.rootHash}
                </Code>
              </Row>
              <Row label="Signed at">
                <Text size="sm">
                  {formatDateTime(cp.body.at)}{' '}
                  <Text span size="xs" c="dimmed">
                    ({formatRelative(cp.body.at)})
                  </Text>
                </Text>
              </Row>
              <Row label="Key id">
                <Code fz="xs">{cp.body.keyId}</Code>
              </Row>
            </Table.Tbody>
          </Table>
          <Group gap="xs">
            {s.pending === 0 ? (
              <Badge variant="light" color="green" tt="none">
                Every entry sequenced
              </Badge>
            ) : (
              <Badge variant="light" color="yellow" tt="none">
                {s.pending} {s.pending === 1 ? 'entry' : 'entries'} being sequenced
              </Badge>
            )}
            <Badge variant="light" color="gray" tt="none">
              Kept {s.retention.days} days
            </Badge>
            {s.checkpointEmail && (
              <Badge variant="light" color="blue" tt="none">
                Mailed to the outside auditor
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" data-testid="audit-retention">
            {s.retention.prunedThrough > 0
              ? `Entries 1–${s.retention.prunedThrough.toLocaleString()} were pruned after ${s.retention.days} days under signed tombstones (last on ${formatDateTime(s.retention.lastPrunedAt)}); verification still covers the cut.`
              : `Nothing pruned yet. Whole days older than ${s.retention.days} days are pruned daily under a signed tombstone (next cut: entries before ${formatDateTime(s.retention.cutoff)}).`}
          </Text>
        </Stack>
      )}
    </Card>
  );
}
