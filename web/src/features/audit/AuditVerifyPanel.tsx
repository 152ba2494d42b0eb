import { Badge, Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../lib/format.ts';
import type { AuditVerifyResult } from './audit.api.ts';
import { useAuditVerify } from './audit.api.ts';

/** The server answers `{ seq, hash }`; anything else is shown as it came. */
function headText(head: unknown): string {
  if (head && typeof head === 'object' && 'seq' in head && 'hash' in head)
    return `entry ${head.seq}, hash ${head.hash}`;
  return typeof head === 'string' ? head : JSON.stringify(head);
}

/** What each reason the verifier gives means, in words (the code is shown too, for a ticket or a search). */
const reasonText: Record<string, string> = {
  hash_mismatch: 'the entry was changed after it was written',
  chain_broken: 'the entry does not link to the one before it',
  gap: 'the entry is missing',
  head_mismatch: 'entries after it are missing (the log ends early)',
  truncated: 'entries from here on are missing: the log ends before its last signed checkpoint',
  checkpoint_mismatch: 'the entries do not give the root a signed checkpoint records',
  checkpoint_signature_invalid: 'a checkpoint signature does not verify',
  checkpoint_inconsistent: 'a checkpoint does not extend the one before it',
  trusted_checkpoint_mismatch: 'the log differs from the checkpoint kept off the database',
  tombstone_signature_invalid: 'a retention tombstone signature does not verify',
  tombstone_mismatch: 'a retention tombstone does not match its own tree',
  pruned_inside_retention: 'entries were pruned before the 90-day minimum',
};

function Result({ result, checkedAt }: { result: AuditVerifyResult; checkedAt: number }) {
  if (result.valid) {
    return (
      <Stack gap={6} data-testid="audit-verify-result">
        <Group gap="sm">
          <Badge color="green" size="lg" tt="none">
            Intact
          </Badge>
          <Text size="sm">
            {result.entries.toLocaleString()} {result.entries === 1 ? 'entry' : 'entries'} checked, chain unbroken
            {result.checkpoints !== undefined &&
              `, ${result.checkpoints} signed ${result.checkpoints === 1 ? 'checkpoint' : 'checkpoints'} match`}
            {result.tombstones ? `, ${result.tombstones} retention tombstones signed` : ''}.
          </Text>
        </Group>
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
          Head <Code>{headText(result.head)}</Code> · checked {formatDateTime(checkedAt)}
        </Text>
      </Stack>
    );
  }
  return (
    <Stack gap={6} data-testid="audit-verify-result">
      <Group gap="sm">
        <Badge color="red" size="lg" tt="none">
          Broken
        </Badge>
        <Text size="sm">
          First bad entry <Code>{result.firstBadSeq}</Code>: {reasonText[result.reason] ?? result.reason}{' '}
          <Code fz="xs">{result.reason}</Code>
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        The log has been altered or damaged from that entry on. Export it and follow the incident procedure. Checked{' '}
        {formatDateTime(checkedAt)}.
      </Text>
    </Stack>
  );
}

/** Recomputes the hash chain on the server and shows intact (green) or the first bad entry (red). */
export function AuditVerifyPanel() {
  const [requested, setRequested] = useState(false);
  const verify = useAuditVerify(requested);
  const run = () => (requested ? verify.refetch() : setRequested(true));

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="verify-heading">
      <Group justify="space-between" align="flex-start" mb="sm">
        <div>
          <Title order={3} size="h4" id="verify-heading">
            Integrity
          </Title>
          <Text size="sm" c="dimmed">
            Each entry is linked to the one before by a SHA-256 hash and covered by signed Merkle checkpoints; any
            change, gap or cut tail is named.
          </Text>
        </div>
        <Button onClick={run} loading={verify.isFetching} variant="light">
          Verify log integrity
        </Button>
      </Group>
      {!requested && (
        <Text size="sm" c="dimmed">
          Not checked yet in this view. Press “Verify log integrity” to recompute the chain now.
        </Text>
      )}
      {verify.isError && <ErrorAlert error={verify.error} title="Verification could not run" />}
      {verify.data && !verify.isError && <Result result={verify.data} checkedAt={verify.dataUpdatedAt} />}
    </Card>
  );
}
